"""Parity of the semantic layer with the metrics table on the demo data.

Every MetricFlow metric that publishes a metric of the metrics table names
it in config.meta (gtm_metric_name, gtm_metric_version). It also lists the
checks at which the two definitions are the same (gtm_parity). A grain alone
compares the totals (dimension `all`), and "<grain>/<dimension>" compares
one breakdown, with gtm_dimensions giving the MetricFlow group-by item of
each metrics-table dimension. Each check queries MetricFlow through
gtm_metrics.semantic for the periods the metrics table has and compares
every row.

Tolerance: a value passes when |MetricFlow - table| <= 1e-4. The metrics
table stores rates with 6 decimals and money with 4 (the decimal types of
the fct models), while MetricFlow does not round; 1e-4 absorbs that
rounding, and any change of definition on the demo data moves a value by
far more (one person in a cohort of 1,000 moves a rate by 1e-3, one cent
moves an amount by 1e-2).

Rules for missing values: MetricFlow returns no row for a period or
dimension value without data, where the metrics table often has 0, so a
missing MetricFlow row equals a table value of 0 or null. A table value of
null (an undefined ratio) needs a MetricFlow null or no row, unless the
metric sets gtm_parity_ignores_table_nulls (its description says why). A
MetricFlow value for a period or dimension value the table lacks fails.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from gtm_metrics.contract import project_dir
from gtm_metrics.semantic import SemanticLayer

ABSOLUTE_TOLERANCE = 1e-4
PERIOD_LENGTHS = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "fiscal_quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}


def _published_metrics() -> list[dict]:
    """MetricFlow metrics that publish a metrics-table metric, read from the
    semantic YAML files (YAML anchors resolved, Jinja left as text)."""
    found = []
    for path in sorted((project_dir() / "models" / "semantic").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for metric in document.get("metrics") or []:
            meta = (metric.get("config") or {}).get("meta") or {}
            if "gtm_metric_name" in meta:
                found.append({"name": metric["name"], "meta": meta})
    return found


PUBLISHED = _published_metrics()


@pytest.fixture(scope="module")
def semantic_layer(demo_build):
    assert demo_build.outcome.success, "the demo build failed: " + "; ".join(demo_build.outcome.failures[:5])
    with SemanticLayer.from_target(demo_build.database, demo_build.target_path) as layer:
        yield layer


@pytest.fixture(scope="module")
def metrics_table(demo_build) -> pd.DataFrame:
    frame = demo_build.frame("select * from metrics")
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    return frame


def _mismatches(layer: SemanticLayer, metric_name: str, meta: dict, check: str, table: pd.DataFrame) -> list[str]:
    """Compare one parity check and return a line per differing row."""
    grain, _, dimension = check.partition("/")
    dimension = dimension or "all"
    rows = table[
        (table["metric_name"] == meta["gtm_metric_name"])
        & (table["metric_version"] == meta["gtm_metric_version"])
        & (table["grain"] == grain)
        & (table["dimension_name"] == dimension)
    ]
    if rows.empty:
        return [f"{check}: the metrics table has no rows"]

    time_column = f"metric_time__{grain}"
    group_by = [time_column]
    if dimension != "all":
        group_by.append(meta["gtm_dimensions"][dimension])
    first_period = min(rows["period_start"])
    last_day = (pd.Timestamp(max(rows["period_start"])) + PERIOD_LENGTHS[grain] - pd.DateOffset(days=1)).date()
    result = layer.query([metric_name], group_by, start=first_period, end=last_day)

    semantic = pd.DataFrame(
        {
            "period_start": pd.to_datetime(result[time_column]).dt.date,
            "dimension_value": (
                result[group_by[1]].fillna("(unknown)").astype(str) if dimension != "all" else "all"
            ),
            "semantic_value": pd.to_numeric(result[metric_name], errors="coerce"),
        }
    )
    compared = rows[["period_start", "dimension_value", "value"]].merge(
        semantic, on=["period_start", "dimension_value"], how="outer", indicator="source"
    )
    ignore_table_nulls = bool(meta.get("gtm_parity_ignores_table_nulls"))
    problems = []
    for row in compared.itertuples(index=False):
        table_value, semantic_value = row.value, row.semantic_value
        key = f"{check} {row.period_start} {row.dimension_value}"
        if row.source == "right_only":
            if pd.notna(semantic_value) and semantic_value != 0:
                problems.append(f"{key}: MetricFlow {semantic_value}, no row in the metrics table")
        elif pd.isna(table_value):
            if pd.notna(semantic_value) and not ignore_table_nulls:
                problems.append(f"{key}: MetricFlow {semantic_value}, metrics table null")
        elif pd.isna(semantic_value):
            if table_value != 0:
                problems.append(f"{key}: MetricFlow no value, metrics table {table_value}")
        elif abs(semantic_value - table_value) > ABSOLUTE_TOLERANCE:
            problems.append(f"{key}: MetricFlow {semantic_value}, metrics table {table_value}")
    return problems


def test_parity_covers_metrics():
    assert len(PUBLISHED) >= 100
    for metric in PUBLISHED:
        assert metric["meta"].get("gtm_parity"), f"{metric['name']} lists no parity check"


@pytest.mark.slow
@pytest.mark.parametrize("metric", PUBLISHED, ids=[metric["name"] for metric in PUBLISHED])
def test_metric_matches_metrics_table(semantic_layer, metrics_table, metric):
    problems = []
    for check in metric["meta"]["gtm_parity"]:
        problems += _mismatches(semantic_layer, metric["name"], metric["meta"], check, metrics_table)
    first_rows = "\n  ".join(problems[:8])
    assert not problems, f"{metric['name']} differs from the metrics table in {len(problems)} rows:\n  {first_rows}"


def test_parity_detects_difference(semantic_layer, metrics_table):
    """The comparison fails when the table and MetricFlow disagree: new
    leads compared with the rows of new MQLs differ."""
    meta = {
        "gtm_metric_name": "new_mqls",
        "gtm_metric_version": 2,
        "gtm_dimensions": {"channel": "person__channel"},
    }
    assert _mismatches(semantic_layer, "new_leads", meta, "month", metrics_table)
    assert _mismatches(semantic_layer, "new_leads", meta, "month/channel", metrics_table)

