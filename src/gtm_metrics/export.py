"""Export the metrics table and the metric catalog as Parquet and CSV files.

BI tools read these files instead of the database, so they work while a
build locks the DuckDB file. The project-wide table `metrics` is the union of
the `metrics_<area>` models; when it is not in the database, each
`metrics_<area>` model found is exported on its own. The catalog is the
model `metric_definitions` (its hashes are filled by `gtm-metrics catalog`,
which `run` calls first); when it is not in the database, the catalog is
read from `config.meta.metrics` of the models in dbt's manifest. Every
fallback is listed in ExportResult.notes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from gtm_metrics.errors import InputError
from gtm_metrics.reconciliation import connect, find_relation

logger = logging.getLogger(__name__)

FORMATS = ("parquet", "csv")
METRICS_RELATION = "metrics"
AREA_METRICS_RELATIONS = ("metrics_funnel", "metrics_pipeline", "metrics_revenue", "metrics_feedback")
CATALOG_RELATIONS = ("metric_definitions", "metric_catalog")
# Columns of the long metric shape, in order (CONTRIBUTING.md).
METRIC_COLUMNS = (
    "metric_name", "metric_version", "grain", "period_start", "dimension_name", "dimension_value",
    "value", "numerator", "denominator", "unit",
)
CATALOG_FIELDS = (
    "name", "version", "label", "unit", "numerator", "denominator", "time_dimension", "filters",
    "owner_group", "docs_block", "deprecation_date",
)


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    metric_relations: list[str] = field(default_factory=list)


def export_outputs(
    database: Path,
    output_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    manifest: Path | None = None,
) -> ExportResult:
    """Write metrics and catalog files into `output_dir`."""
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise InputError(f"unknown export format(s) {', '.join(unknown)}; use {', '.join(FORMATS)}.")
    output_dir.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    connection = connect(database)
    try:
        _export_metrics(connection, output_dir, formats, result)
        _export_catalog(connection, output_dir, formats, manifest, result)
    finally:
        connection.close()
    return result


def _write(table: pa.Table, output_dir: Path, stem: str, formats: tuple[str, ...], result: ExportResult) -> None:
    for file_format in formats:
        path = output_dir / f"{stem}.{file_format}"
        if file_format == "parquet":
            pq.write_table(table, path)
        else:
            pa_csv.write_csv(table, path)
        result.files.append(path)
        logger.info("wrote %d rows to %s", table.num_rows, path)


def _read_relation(connection: duckdb.DuckDBPyConnection, relation: str, order_by: tuple[str, ...]) -> pa.Table:
    columns = [row[0] for row in connection.execute(f"describe {relation}").fetchall()]
    ordering = ", ".join(f'"{name}"' for name in order_by if name in columns) or "1"
    return connection.sql(f"select * from {relation} order by {ordering}").to_arrow_table()


def _export_metrics(connection, output_dir: Path, formats, result: ExportResult) -> None:
    order = ("metric_name", "metric_version", "grain", "period_start", "dimension_name", "dimension_value")
    relation = find_relation(connection, METRICS_RELATION)
    if relation is not None:
        _write(_read_relation(connection, relation, order), output_dir, "metrics", formats, result)
        result.metric_relations.append(relation)
        return
    found = [(name, find_relation(connection, name)) for name in AREA_METRICS_RELATIONS]
    found = [(name, relation) for name, relation in found if relation is not None]
    if not found:
        result.notes.append("no metrics table: neither `metrics` nor any `metrics_<area>` model is in the database.")
        return
    missing = [name for name in AREA_METRICS_RELATIONS if name not in dict(found)]
    result.notes.append(
        "the project-wide `metrics` table is not in the database; exported "
        + ", ".join(name for name, _ in found)
        + " separately"
        + (f" ({', '.join(missing)} not built)" if missing else "")
        + "."
    )
    for name, relation in found:
        _write(_read_relation(connection, relation, order), output_dir, name, formats, result)
        result.metric_relations.append(relation)


def _export_catalog(connection, output_dir: Path, formats, manifest: Path | None, result: ExportResult) -> None:
    for name in CATALOG_RELATIONS:
        relation = find_relation(connection, name)
        if relation is not None:
            order = ("metric_name", "metric_version", "name", "version")
            _write(_read_relation(connection, relation, order), output_dir, "metric_catalog", formats, result)
            return
    entries = catalog_from_manifest(manifest) if manifest is not None and manifest.exists() else []
    if not entries:
        result.notes.append("no metric catalog: no catalog model in the database and no metrics listed in the dbt manifest.")
        return
    result.notes.append("the catalog model is not in the database; the catalog was read from the dbt manifest.")
    table = pa.table({name: pa.array([entry.get(name) for entry in entries], type=pa.string())
                      for name in ("model", *CATALOG_FIELDS)})
    _write(table, output_dir, "metric_catalog", formats, result)


def catalog_from_manifest(manifest: Path) -> list[dict[str, str | None]]:
    """Return one entry per metric listed under config.meta.metrics of a
    model in the manifest, with every value as text."""
    document = json.loads(manifest.read_text(encoding="utf-8"))
    entries = []
    for node in document.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        metrics = (node.get("config", {}).get("meta", {}) or {}).get("metrics") or node.get("meta", {}).get("metrics") or []
        for metric in metrics:
            entry = {"model": node.get("name")}
            for name in CATALOG_FIELDS:
                value = metric.get(name)
                if isinstance(value, (list, dict)):
                    entry[name] = json.dumps(value)
                elif value is not None:
                    entry[name] = str(value)
                else:
                    entry[name] = None
            entries.append(entry)
    return sorted(entries, key=lambda entry: (entry["name"] or "", entry["version"] or ""))


# Metrics shown first in a run's summary, when the build has them.
HEADLINE_ORDER = (
    "new_leads", "new_mqls", "leads_won", "cohort_won_rate", "won_deals_count", "win_rate_count",
    "bookings_amount", "avg_won_deal_size", "sales_cycle_days_median", "open_pipeline_count",
    "pipeline_velocity", "mrr", "customers", "logo_churn_rate", "net_revenue_retention",
)


def headline_metrics(database: Path) -> list[dict]:
    """Return the latest non-null monthly value of each metric's latest
    version for the whole business (dimension `all`), the metrics of
    HEADLINE_ORDER first. A metric without such a value is left out."""
    connection = connect(database)
    try:
        relations = []
        relation = find_relation(connection, METRICS_RELATION)
        if relation is not None:
            relations = [relation]
        else:
            relations = [r for r in (find_relation(connection, name) for name in AREA_METRICS_RELATIONS) if r]
        rows = []
        for relation in relations:
            rows += connection.execute(
                f"""
                select metric_name, metric_version, period_start, value, unit
                from (
                    select
                        *,
                        row_number() over (
                            partition by metric_name, metric_version order by period_start desc
                        ) as recency,
                        max(metric_version) over (partition by metric_name) as latest_version
                    from {relation}
                    where grain = 'month' and dimension_name = 'all' and value is not null
                ) as monthly
                where recency = 1 and metric_version = latest_version
                order by metric_name
                """
            ).fetchall()
    finally:
        connection.close()
    rank = {name: position for position, name in enumerate(HEADLINE_ORDER)}
    rows.sort(key=lambda row: (rank.get(row[0], len(rank)), row[0]))
    return [
        {"metric_name": name, "metric_version": version, "period_start": period, "value": value, "unit": unit}
        for name, version, period, value, unit in rows
    ]
