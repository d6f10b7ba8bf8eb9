"""Query and validate the project's MetricFlow semantic layer from Python.

MetricFlow 0.213 has no documented public Python API, so every call into it
is made here and nowhere else: when MetricFlow changes, this module is the
one to change. It reads the semantic manifest that `dbt parse` (or any dbt
command) writes to its target path, and queries a built DuckDB file through
read-only connections. Unlike the `mf` command, it never checks PyPI for
updates and needs no dbt adapter, so it can run next to in-process dbt
invocations on other databases.
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import duckdb
import pandas as pd

from gtm_metrics.errors import GtmMetricsError

logger = logging.getLogger(__name__)

SEMANTIC_MANIFEST_FILE = "semantic_manifest.json"


class SemanticLayerError(GtmMetricsError):
    """Raised when the semantic manifest is missing or invalid, or when
    MetricFlow rejects or fails a query."""


@dataclass(frozen=True)
class SemanticMetric:
    """One MetricFlow metric as the semantic manifest declares it."""

    name: str
    type: str
    label: str | None
    description: str | None
    meta: dict[str, Any]
    filters: tuple[str, ...]


@dataclass
class SemanticValidationResult:
    """Outcome of MetricFlow's config validations (the checks behind
    `mf validate-configs`): semantic checks on the manifest, then, when
    requested, checks that run each semantic model, dimension, entity and
    metric against the database."""

    errors: list[str] = field(default_factory=list)
    future_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data_warehouse_checked: bool = False

    @property
    def passed(self) -> bool:
        return not self.errors


class _DuckDbSqlClient:
    """MetricFlow's SqlClient protocol over a DuckDB file. Each statement
    opens its own read-only connection and closes it, so the client never
    keeps the file locked between queries, and a dbt build or another
    connection of this process can use the file in between."""

    def __init__(self, database: Path) -> None:
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self._database = database
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self):
        from metricflow.protocols.sql_client import SqlEngine

        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self):
        return self._renderer

    @staticmethod
    def _reject_bind_parameters(sql_bind_parameter_set) -> None:
        if sql_bind_parameter_set is not None and sql_bind_parameter_set.param_dict:
            raise SemanticLayerError(
                f"MetricFlow requested bind parameters {dict(sql_bind_parameter_set.param_dict)}, "
                "which this client does not support."
            )

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return connect_read_only(self._database)

    def query(self, stmt: str, sql_bind_parameter_set=None):
        from metricflow.data_table.mf_table import MetricFlowDataTable

        self._reject_bind_parameters(sql_bind_parameter_set)
        with self._connect() as connection:
            cursor = connection.execute(stmt)
            column_names = [description[0] for description in cursor.description]
            rows = cursor.fetchall()
        return MetricFlowDataTable.create_from_rows(column_names=column_names, rows=rows)

    def execute(self, stmt: str, sql_bind_parameter_set=None) -> None:
        self._reject_bind_parameters(sql_bind_parameter_set)
        with self._connect() as connection:
            connection.execute(stmt)

    def dry_run(self, stmt: str, sql_bind_parameter_set=None) -> None:
        self._reject_bind_parameters(sql_bind_parameter_set)
        with self._connect() as connection:
            connection.execute(f"explain {stmt}")

    def close(self) -> None:
        """Nothing to close: every statement closes its own connection."""

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def connect_read_only(database: Path) -> duckdb.DuckDBPyConnection:
    """Open `database` read-only, or read-write when this process already has
    it open read-write. DuckDB allows one configuration per file and process,
    and an in-process dbt run keeps its connection open."""
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.ConnectionException as error:
        if "different configuration" not in str(error):
            raise
        logger.debug("%s is open read-write in this process; reusing that configuration", database)
        return duckdb.connect(str(database))


def _load_semantic_manifest(path: Path):
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest

    if not path.is_file():
        raise SemanticLayerError(
            f"Semantic manifest not found: {path}. Run `dbt parse` (or any dbt command) with "
            f"--target-path {path.parent} first."
        )
    try:
        return parse_manifest_from_dbt_generated_manifest(manifest_json_string=path.read_text(encoding="utf-8"))
    except Exception as error:  # MetricFlow raises pydantic and its own errors here.
        raise SemanticLayerError(f"Semantic manifest {path} could not be parsed: {error}") from error


def _as_datetime(value: datetime.date | str | None) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.min)


class SemanticLayer:
    """The MetricFlow engine over one built DuckDB file and the semantic
    manifest of the dbt build that produced it.

    Each query opens a read-only connection (see connect_read_only) and
    closes it again. While a query runs, DuckDB lets no other process write
    the file.
    """

    def __init__(self, database: Path, semantic_manifest: Path) -> None:
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        database = Path(database)
        if not database.is_file():
            raise SemanticLayerError(f"Database not found: {database}. Build the project with dbt first.")
        self.database = database
        self.semantic_manifest_path = Path(semantic_manifest)
        self._semantic_manifest = _load_semantic_manifest(self.semantic_manifest_path)
        self._raw_manifest = json.loads(self.semantic_manifest_path.read_text(encoding="utf-8"))
        self._sql_client = _DuckDbSqlClient(database)
        self._engine = MetricFlowEngine(
            semantic_manifest_lookup=SemanticManifestLookup(self._semantic_manifest),
            sql_client=self._sql_client,
        )
        logger.info("semantic layer opened on %s with %s", database, self.semantic_manifest_path)

    @classmethod
    def from_target(cls, database: Path, target_path: Path) -> SemanticLayer:
        """Open the semantic layer of a dbt target folder (`--target-path`)."""
        return cls(database, Path(target_path) / SEMANTIC_MANIFEST_FILE)

    def __enter__(self) -> SemanticLayer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._sql_client.close()

    def metrics(self) -> list[SemanticMetric]:
        """Return every metric of the semantic manifest, sorted by name."""
        found = []
        for metric in self._raw_manifest.get("metrics", []):
            where_filters = (metric.get("filter") or {}).get("where_filters") or []
            found.append(
                SemanticMetric(
                    name=metric["name"],
                    type=str(metric["type"]).lower(),
                    label=metric.get("label"),
                    description=metric.get("description"),
                    meta=dict((metric.get("config") or {}).get("meta") or {}),
                    filters=tuple(where_filter["where_sql_template"] for where_filter in where_filters),
                )
            )
        return sorted(found, key=lambda metric: metric.name)

    def custom_granularities(self) -> set[str]:
        """Return the names of the time spine's custom granularities, such as
        fiscal_quarter, usable as `metric_time__<name>`."""
        configuration = self._raw_manifest.get("project_configuration") or {}
        return {
            granularity["name"]
            for spine in configuration.get("time_spines") or []
            for granularity in spine.get("custom_granularities") or []
        }

    def _request(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str],
        where: Iterable[str] | None,
        start: datetime.date | str | None,
        end: datetime.date | str | None,
        order_by: Sequence[str] | None,
    ):
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        where = list(where or [])
        start, end = _as_datetime(start), _as_datetime(end)
        if any(item.rsplit("__", 1)[-1] in self.custom_granularities() for item in group_by):
            # MetricFlow 0.213 fails an assertion ("No metric time dimensions
            # with standard granularities") when a time constraint meets a
            # custom granularity and a metric joined to the time spine, so the
            # bounds become filters on the metric_time day instead.
            day = "{{ TimeDimension('metric_time', 'day') }}"
            if start is not None:
                where.append(f"{day} >= '{start.date().isoformat()}'")
            if end is not None:
                where.append(f"{day} <= '{end.date().isoformat()}'")
            start = end = None
        return MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by),
            where_constraints=where or None,
            time_constraint_start=start,
            time_constraint_end=end,
            order_by_names=list(order_by) if order_by else None,
        )

    def query(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str] = ("metric_time__month",),
        where: Iterable[str] | None = None,
        start: datetime.date | str | None = None,
        end: datetime.date | str | None = None,
        order_by: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Query metrics by name, grouped by MetricFlow group-by names such as
        `metric_time__month` or `person__channel`, and return one column per
        group-by item and metric. `start` and `end` bound metric_time
        (inclusive); `where` takes MetricFlow filter templates."""
        request = self._request(metrics, group_by, where, start, end, order_by)
        try:
            result = self._engine.query(request)
        except Exception as error:  # MetricFlow raises many unrelated exception types.
            raise SemanticLayerError(
                f"MetricFlow query for metrics {list(metrics)} by {list(group_by)} failed: {error}"
            ) from error
        table = result.result_df
        if table is None:
            return pd.DataFrame()
        return pd.DataFrame([list(row) for row in table.rows], columns=list(table.column_names))

    def sql(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str] = ("metric_time__month",),
        where: Iterable[str] | None = None,
        start: datetime.date | str | None = None,
        end: datetime.date | str | None = None,
    ) -> str:
        """Return the SQL MetricFlow would run for the same arguments as query()."""
        request = self._request(metrics, group_by, where, start, end, None)
        try:
            return self._engine.explain(request).sql_statement.sql
        except Exception as error:  # MetricFlow raises many unrelated exception types.
            raise SemanticLayerError(f"MetricFlow could not plan metrics {list(metrics)}: {error}") from error

    def validate(self, data_warehouse: bool = True) -> SemanticValidationResult:
        """Run MetricFlow's config validations, as `mf validate-configs` does."""
        from metricflow.validation.data_warehouse_model_validator import DataWarehouseModelValidator
        from metricflow_semantic_interfaces.validations.semantic_manifest_validator import (
            SemanticManifestValidator,
        )
        from metricflow_semantic_interfaces.validations.validator_helpers import (
            SemanticManifestValidationResults,
        )

        results = [SemanticManifestValidator().validate_semantic_manifest(self._semantic_manifest)]
        if data_warehouse and not results[0].has_blocking_issues:
            validator = DataWarehouseModelValidator(sql_client=self._sql_client)
            for check in (
                validator.validate_semantic_models,
                validator.validate_dimensions,
                validator.validate_entities,
                validator.validate_simple_metrics,
                validator.validate_metrics,
            ):
                results.append(check(self._semantic_manifest))
        merged = SemanticManifestValidationResults.merge(results)
        return SemanticValidationResult(
            errors=[issue.as_readable_str() for issue in merged.errors],
            future_errors=[issue.as_readable_str() for issue in merged.future_errors],
            warnings=[issue.as_readable_str() for issue in merged.warnings],
            data_warehouse_checked=len(results) > 1,
        )
