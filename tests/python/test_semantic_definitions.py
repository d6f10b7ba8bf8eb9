"""The MetricFlow definitions: coverage of the catalog, labels and
descriptions, MetricFlow's own config validation, and the shapes that break
semantic layers (fan-out joins, fiscal quarters, fill values, cumulative
windows). Every test runs MetricFlow through gtm_metrics.semantic on the
demo build, or on a small build of its own."""

from __future__ import annotations

import importlib.metadata
import json
import re

import pandas as pd
import pytest

from conftest import PROJECT, build_folder
from gtm_metrics.semantic import SemanticLayer, SemanticLayerError


@pytest.fixture(scope="module")
def semantic_layer(demo_build):
    assert demo_build.outcome.success, "the demo build failed: " + "; ".join(demo_build.outcome.failures[:5])
    with SemanticLayer.from_target(demo_build.database, demo_build.target_path) as layer:
        yield layer


@pytest.fixture(scope="module")
def manifest(demo_build) -> dict:
    return json.loads((demo_build.target_path / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog_entries(manifest) -> dict[tuple[str, int], dict]:
    """Metric catalog entries (config.meta.metrics of the metrics_<area>
    models), keyed by metric name and version."""
    entries = {}
    for node in manifest["nodes"].values():
        for entry in (node.get("config", {}).get("meta") or {}).get("metrics") or []:
            entries[(entry["name"], int(entry["version"]))] = entry
    return entries


def _published(layer: SemanticLayer) -> dict[tuple[str, int], list]:
    published: dict[tuple[str, int], list] = {}
    for metric in layer.metrics():
        if "gtm_metric_name" in metric.meta:
            key = (metric.meta["gtm_metric_name"], int(metric.meta["gtm_metric_version"]))
            published.setdefault(key, []).append(metric)
    return published


def test_every_catalog_metric_published(semantic_layer, catalog_entries):
    published = _published(semantic_layer)
    missing = sorted(set(catalog_entries) - set(published))
    assert not missing, f"catalog metrics without a MetricFlow metric: {missing}"


def test_published_metrics_in_catalog(semantic_layer, catalog_entries):
    published = _published(semantic_layer)
    unknown = sorted(set(published) - set(catalog_entries))
    assert not unknown, f"MetricFlow metrics naming no catalog metric: {unknown}"
    duplicated = {key: [metric.name for metric in metrics] for key, metrics in published.items() if len(metrics) > 1}
    assert not duplicated, f"catalog metrics published twice: {duplicated}"


def test_labels_match_catalog(semantic_layer, catalog_entries):
    for key, metrics in _published(semantic_layer).items():
        for metric in metrics:
            assert metric.label == catalog_entries[key]["label"], f"{metric.name}: label differs from the catalog"


def test_descriptions_render_docs_block(semantic_layer, catalog_entries, manifest):
    docs = {doc["name"]: doc["block_contents"].strip() for doc in manifest["docs"].values()}
    for key, metrics in _published(semantic_layer).items():
        block = catalog_entries[key]["docs_block"]
        for metric in metrics:
            assert metric.description, f"{metric.name} has no description"
            assert metric.description.strip().startswith(docs[block]), (
                f"{metric.name}: description does not start with docs block {block}"
            )


def test_every_metric_described_and_labelled(semantic_layer):
    for metric in semantic_layer.metrics():
        assert metric.label, f"{metric.name} has no label"
        assert metric.description and "{{" not in metric.description, f"{metric.name}: description missing or unrendered"


def test_validate_configs_passes(semantic_layer):
    """The checks of `mf validate-configs`, data warehouse checks included."""
    result = semantic_layer.validate(data_warehouse=True)
    assert result.data_warehouse_checked
    assert result.passed, "\n".join(result.errors[:5])


@pytest.mark.slow
def test_every_metric_answers_by_month(semantic_layer):
    """`mf query --metrics <name> --group-by metric_time__month` works for
    every metric, helper metrics included, and returns rows."""
    empty = []
    for metric in semantic_layer.metrics():
        frame = semantic_layer.query([metric.name], ["metric_time__month"])
        if frame[metric.name].notna().sum() == 0:
            empty.append(metric.name)
    assert not empty, f"metrics without a value in any month: {empty}"


def test_primary_entities_unique(demo_build):
    """Each semantic model's primary entity is unique in its table, so
    MetricFlow's many-to-one joins cannot multiply rows."""
    keys = {
        "fct_lead_lifecycle": "person_id",
        "fct_opportunities": "opportunity_id",
        "sem_opportunity_open_visits": "opportunity_id || '-' || cast(stage_visit_number as varchar)",
        "fct_mrr_account_months": "account_id || '-' || cast(mrr_month as varchar)",
        "fct_account_time_to_value": "account_id",
        "fct_lead_handoffs": "person_id",
    }
    for relation, key in keys.items():
        rows, distinct_keys = demo_build.query(f"select count(*), count(distinct {key}) from main.{relation}")[0]
        assert rows == distinct_keys, f"{relation}: {rows} rows but {distinct_keys} distinct keys"


def test_time_spine_covers_metrics(demo_build):
    """The time spine has one row per day, with no gap, from before the first
    period of the metrics table to after its last, so no cumulative window
    or fiscal period runs off its end."""
    days, first_day, last_day, span = demo_build.query(
        "select count(*), min(date_day), max(date_day), max(date_day) - min(date_day) + 1 from main.time_spine_daily"
    )[0]
    assert days == span
    first_period, last_period = demo_build.query("select min(period_start), max(period_start) from main.metrics")[0]
    assert first_day <= first_period
    assert last_day > last_period


def test_fan_out_join_rejected(semantic_layer):
    """A person has many opportunities: breaking new leads down by an
    opportunity attribute would count a person once per opportunity, so
    MetricFlow must refuse the query."""
    with pytest.raises(SemanticLayerError):
        semantic_layer.query(["new_leads"], ["metric_time__month", "opportunity__segment"])


def test_many_to_one_join_keeps_totals(semantic_layer):
    """Opportunities broken down by their person's channel (many
    opportunities to one person) add up to the total: the join adds no row."""
    total = semantic_layer.query(["pipeline_created_count"], ["metric_time__year"])
    by_person = semantic_layer.query(["pipeline_created_count"], ["metric_time__year", "person__channel"])
    assert by_person["pipeline_created_count"].sum() == total["pipeline_created_count"].sum()
    assert total["pipeline_created_count"].sum() > 0


def test_yearly_equals_sum_of_days(semantic_layer):
    days = semantic_layer.query(["new_leads"], ["metric_time__day"])
    days["year"] = pd.to_datetime(days["metric_time__day"]).dt.year
    years = semantic_layer.query(["new_leads"], ["metric_time__year"])
    years["year"] = pd.to_datetime(years["metric_time__year"]).dt.year
    summed = days.groupby("year")["new_leads"].sum()
    for row in years.itertuples(index=False):
        assert row.new_leads == summed[row.year]


def test_prior_year_keeps_leap_day(semantic_layer, demo_build):
    """An offset of one year queried by month moves every day, 29 February
    included: the prior-year value of February 2025 is February 2024's
    count, and so for every month."""
    leap_day_leads = demo_build.query(
        "select count(*) from main.fct_lead_lifecycle where not is_deleted and created_date = '2024-02-29'"
    )[0][0]
    assert leap_day_leads > 0, "the demo data has no lead on 29 February 2024"
    frame = semantic_layer.query(["new_leads", "new_leads_prior_year"], ["metric_time__month"])
    frame["metric_time__month"] = pd.to_datetime(frame["metric_time__month"])
    by_month = frame.set_index("metric_time__month")
    compared = 0
    for month, row in by_month.iterrows():
        year_before = month - pd.DateOffset(years=1)
        if year_before in by_month.index and pd.notna(row["new_leads_prior_year"]):
            assert row["new_leads_prior_year"] == by_month.loc[year_before, "new_leads"], f"{month:%Y-%m}"
            compared += 1
    assert compared >= 12
    assert by_month.loc[pd.Timestamp("2025-02-01"), "new_leads_prior_year"] == by_month.loc[
        pd.Timestamp("2024-02-01"), "new_leads"
    ]


def test_derived_inputs_filled_with_zero(semantic_layer, demo_build):
    """A derived metric over cumulative inputs gets 0, not null, for a
    segment whose exits have not started yet: open pipeline by segment in
    the first month equals the metrics table, which counts those deals."""
    first_month = demo_build.query(
        "select min(period_start) from main.metrics where metric_name = 'open_pipeline_count' and grain = 'month'"
    )[0][0]
    frame = semantic_layer.query(
        ["open_pipeline_count"], ["metric_time__month", "opportunity__segment"], start=first_month, end=first_month
    )
    assert frame["open_pipeline_count"].notna().all()
    expected = dict(
        demo_build.query(
            "select dimension_value, value from main.metrics where metric_name = 'open_pipeline_count'"
            " and grain = 'month' and dimension_name = 'segment' and period_start = ?",
            [first_month],
        )
    )
    for row in frame.itertuples(index=False):
        assert row.open_pipeline_count == expected.get(row.opportunity__segment, 0)


def test_ratio_with_zero_denominator_null(semantic_layer, demo_build):
    """A ratio whose denominator is 0 is null by rule in both places: win
    rate for an owner and month without closed deals."""
    rows = demo_build.query(
        "select period_start, dimension_value from main.metrics where metric_name = 'win_rate_count'"
        " and grain = 'month' and dimension_name = 'owner' and value is null and denominator = 0 limit 1"
    )
    assert rows, "the demo data has no owner-month without closed deals"
    period_start, owner = rows[0]
    frame = semantic_layer.query(
        ["win_rate_count"], ["metric_time__month", "opportunity__owner"], start=period_start, end=period_start
    )
    values = frame.loc[frame["opportunity__owner"] == owner, "win_rate_count"]
    assert values.isna().all()


def test_cumulative_filter_keeps_window(semantic_layer):
    """A metric_time filter on a cumulative metric applies after the window:
    open pipeline for 2025 is the same with and without a filter that
    starts in 2025, although the running totals start in 2024."""
    unfiltered = semantic_layer.query(["open_pipeline_count"], ["metric_time__month"])
    filtered = semantic_layer.query(
        ["open_pipeline_count"],
        ["metric_time__month"],
        where=["{{ TimeDimension('metric_time', 'day') }} >= '2025-01-01'"],
    )
    merged = filtered.merge(unfiltered, on="metric_time__month", suffixes=("_filtered", ""))
    assert len(merged) >= 12
    assert (merged["open_pipeline_count_filtered"] == merged["open_pipeline_count"]).all()


def test_cumulative_by_own_time_dimension(semantic_layer):
    """A cumulative metric grouped by its own time dimension instead of
    metric_time either equals the metric_time result or is rejected; it
    never falls back to per-period values."""
    by_metric_time = semantic_layer.query(["open_pipeline_entries_to_date"], ["metric_time__month"])
    try:
        by_own = semantic_layer.query(["open_pipeline_entries_to_date"], ["open_visit__entered_date__month"])
    except SemanticLayerError:
        return
    merged = by_own.merge(
        by_metric_time, left_on="open_visit__entered_date__month", right_on="metric_time__month", suffixes=("", "_mt")
    )
    assert len(merged) > 0
    assert (merged["open_pipeline_entries_to_date"] == merged["open_pipeline_entries_to_date_mt"]).all()


@pytest.mark.slow
def test_fiscal_quarters_reconcile(tmp_path):
    """With a fiscal year starting in February, MetricFlow's fiscal quarters
    come from the time spine (February, May, August, November) and their
    new-lead totals equal the metrics table's fiscal_quarter rows."""
    build = build_folder(
        PROJECT / "demo_data",
        tmp_path,
        select="+metrics_funnel time_spine_daily",
        extra_args=["--vars", "{gtm_fiscal_year_start_month: 2}", "--exclude-resource-type", "test"],
    )
    assert build.outcome.success, "; ".join(build.outcome.failures[:5])
    expected = {
        row[0]: row[1]
        for row in build.query(
            "select period_start, value from main.metrics_funnel where metric_name = 'new_leads'"
            " and grain = 'fiscal_quarter' and dimension_name = 'all'"
        )
    }
    assert {period.month for period in expected} == {2, 5, 8, 11}
    with SemanticLayer.from_target(build.database, build.target_path) as layer:
        last_day = (pd.Timestamp(max(expected)) + pd.DateOffset(months=3) - pd.DateOffset(days=1)).date()
        frame = layer.query(["new_leads"], ["metric_time__fiscal_quarter"], start=min(expected), end=last_day)
    actual = {
        pd.Timestamp(row.metric_time__fiscal_quarter).date(): row.new_leads
        for row in frame.itertuples(index=False)
        if pd.Timestamp(row.metric_time__fiscal_quarter).date() in expected
    }
    assert set(actual) == set(expected)
    for period, value in expected.items():
        assert actual[period] == value, f"fiscal quarter {period}"


def test_installed_versions_match_lock():
    """The lock file pins the set dbt, MetricFlow, great-expectations and
    sqlfluff were verified with, and the environment runs that set."""
    pins = {}
    for line in (PROJECT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s#]+)\s*(#.*)?", line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    for package in ["dbt-core", "dbt-duckdb", "dbt-metricflow", "great-expectations", "sqlfluff-templater-dbt"]:
        assert package in pins, f"{package} is not pinned in requirements.lock"
        assert importlib.metadata.version(package) == pins[package], f"{package} differs from requirements.lock"
