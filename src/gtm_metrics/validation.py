"""The great-expectations suite over the public metric tables.

`gtm-metrics validate` and `gtm-metrics run` call run_validation() after the
dbt build. It is an audit independent of dbt's own tests. It reads each
checked relation of the built DuckDB file into pandas through one read-only
connection and closes the connection. Then it validates the DataFrames with
great-expectations 1.x and writes a Data Docs site and a JSON report.

great-expectations' SQL data sources cannot be used on DuckDB: with
SQLAlchemy and duckdb-engine every expectation raises "list index out of
range", because great-expectations closes the connection (and its rollback
wipes the results) before it reads them. Reading into pandas avoids that
without patching great-expectations. Whatever the cause, an expectation that
raises an error, or a relation that cannot be read, counts as failed.

Python computes no metric here: the batches are the metric tables as built,
plus a few check columns (an identity's difference, a ratio's consistency)
computed in the SQL that reads them.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import duckdb
import pandas as pd

logger = logging.getLogger(__name__)

REPORT_FILE = "validation_report.json"
DATA_DOCS_FOLDER = "data_docs"
SUITE_NAME = "gtm_metrics"

# Columns that identify one row of the long metric shape.
METRIC_KEY = ["metric_name", "metric_version", "grain", "period_start", "dimension_name", "dimension_value"]
GRAINS = ["day", "week", "month", "quarter", "fiscal_quarter", "fiscal_year", "year"]

# Ratio metrics that are not shares of a whole and may exceed 1: revenue
# retention counts expansion, and LTV to CAC and the adoption ratio divide
# two independent quantities. Every other metric with unit "ratio" must lie
# in [0, 1], so a new unbounded ratio fails validation until it is listed here.
UNBOUNDED_RATIO_METRICS = frozenset(
    {
        "net_revenue_retention",
        "cohort_revenue_retention_rate",
        "ltv_to_cac",
        "feature_adoption_retention_ratio",
    }
)

# Units whose values are never negative: counts, durations and money
# amounts (movement amounts such as churned_mrr are stored as positive
# numbers). A money unit is a currency code, matched as three upper-case
# letters; "USD per day" (pipeline velocity) is not checked.
NON_NEGATIVE_UNITS = ("count", "days", "hours", "months")
_NON_NEGATIVE_UNITS_SQL = ", ".join(f"'{unit}'" for unit in NON_NEGATIVE_UNITS)

# The input table each area needs. An area whose input table has no usable
# row (stg_gtm__row_counts.rows_used = 0) is left out of the suite, so a
# company without, say, subscriptions still validates its funnel; a
# relation that is missing or empty although its input has rows fails.
# The feedback loop judges leads handed to sales, so it needs leads too.
AREA_INPUTS = {"funnel": "leads", "feedback": "leads", "pipeline": "opportunities", "revenue": "subscriptions"}

# Period metrics whose month rows must reach the latest month of the metrics
# table, by area: a stale or truncated area shows up. Cohort metrics that
# wait for a retention horizon are left out on purpose.
FRESHNESS_METRICS = {
    "new_leads": "funnel",
    "new_mqls": "funnel",
    "pipeline_created_count": "pipeline",
    "open_pipeline_count": "pipeline",
    "mrr": "revenue",
    "customers": "revenue",
}

# A ratio's value may differ from numerator / denominator by the rounding of
# its stored type (6 decimals for rates, 4 for money): 1e-6 of the value, at
# least 1e-6.
RATIO_CONSISTENCY_TOLERANCE = 1e-6

# Difference allowed in the MRR identity: the four-decimal rounding of six
# money columns.
MRR_IDENTITY_TOLERANCE = 0.001


@dataclass
class ExpectationOutcome:
    """Result of one expectation on one batch."""

    batch: str
    expectation: str
    arguments: dict[str, Any]
    success: bool
    errored: bool = False
    unexpected_count: int | None = None
    observed_value: Any = None
    message: str | None = None


@dataclass
class ValidationResult:
    """Outcome of one run of the validation suite."""

    expectations_run: int = 0
    expectations_failed: int = 0
    expectations_errored: int = 0
    data_docs_path: Path | None = None
    report_path: Path | None = None
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    # The suite is always installed in this version; the attribute stays for
    # callers written when it was optional.
    suite_available: bool = True

    @property
    def passed(self) -> bool:
        """True when at least one expectation ran and none failed or errored."""
        return self.expectations_run > 0 and self.expectations_failed == 0

    @property
    def success(self) -> bool:
        return self.passed


# Names kept for callers of the first version of this module.
ValidationReport = ValidationResult


@dataclass
class _Batch:
    """One relation (or query over it) and the expectations to run on it."""

    name: str
    sql: str
    expectations: Callable[[dict[str, Any]], list]
    area: str | None = None
    frame: pd.DataFrame | None = None
    read_error: str | None = None


def _metrics_expectations(parameters: dict[str, Any]) -> list:
    """Expectations on the metrics table; a string in the list is a check
    that cannot run because a reference value is missing."""
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    expectations = gx.expectations
    checks = [
        expectations.ExpectTableRowCountToBeBetween(min_value=1),
        expectations.ExpectCompoundColumnsToBeUnique(column_list=METRIC_KEY),
        expectations.ExpectColumnValuesToBeInSet(column="grain", value_set=GRAINS),
        expectations.ExpectColumnValuesToBeOfType(column="value", type_="float64"),
    ]
    for column in METRIC_KEY + ["unit", "computed_by"]:
        checks.append(expectations.ExpectColumnValuesToNotBeNull(column=column))
    checks += [
        # Rates are shares: within [0, 1] unless listed as unbounded.
        expectations.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            max_value=1,
            row_condition=(Column("value_kind") == "ratio")
            & Column("metric_name").is_not_in(sorted(UNBOUNDED_RATIO_METRICS)),
        ),
        expectations.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            row_condition=Column("value_kind") == "non_negative",
        ),
        # Null, never NaN or infinity, when a value is undefined.
        expectations.ExpectColumnValuesToBeNull(column="value_defect"),
        expectations.ExpectColumnValuesToBeBetween(
            column="ratio_difference",
            max_value=RATIO_CONSISTENCY_TOLERANCE,
        ),
    ]
    # Every metric of the catalog has rows, and every row's metric is in the
    # catalog. The first check runs only when every input table has usable
    # rows. Without qualifications or spend, say, some metrics have nothing
    # to count, and no per-metric list of inputs tells which ones.
    inactive_areas = parameters.get("inactive_areas", set())
    catalog = parameters.get("catalog_metrics") or []
    if catalog:
        if not parameters.get("empty_input_tables"):
            expected = sorted({name for name, _ in catalog})
            checks.append(expectations.ExpectColumnDistinctValuesToContainSet(column="metric_name", value_set=expected))
        checks.append(
            expectations.ExpectColumnValuesToBeInSet(column="metric_name", value_set=sorted({name for name, _ in catalog}))
        )
    else:
        checks.append("metric_definitions lists no metric, so the metrics cannot be compared with the catalog")
    # The union neither drops nor duplicates rows of the area models.
    row_count = parameters.get("area_row_count")
    if row_count:
        checks.append(expectations.ExpectTableRowCountToEqual(value=row_count))
    else:
        checks.append("the area models behind the metrics table have no rows")
    latest_month = parameters.get("latest_month")
    if latest_month is None:
        checks.append("the metrics table has no month rows, so no period can be checked for freshness")
        return checks
    for metric_name, area in FRESHNESS_METRICS.items():
        if area in inactive_areas:
            continue
        checks.append(
            expectations.ExpectColumnMaxToBeBetween(
                column="period_start",
                min_value=latest_month,
                max_value=latest_month,
                row_condition=(Column("metric_name") == metric_name)
                & (Column("grain") == "month")
                & (Column("dimension_name") == "all"),
            )
        )
    return checks


def _funnel_cohort_expectations(parameters: dict[str, Any]) -> list:
    import great_expectations as gx

    expectations = gx.expectations
    checks = [
        expectations.ExpectTableRowCountToBeBetween(min_value=1),
        expectations.ExpectCompoundColumnsToBeUnique(column_list=["cohort_month", "dimension_name", "dimension_value"]),
    ]
    # Each funnel stage keeps at most the people of the stage before it.
    for later, earlier in [
        ("mqls", "leads"),
        ("mqls_v1", "leads"),
        ("sqls", "mqls"),
        ("opportunities", "sqls"),
        ("won", "opportunities"),
    ]:
        checks.append(
            expectations.ExpectColumnPairValuesAToBeGreaterThanB(column_A=earlier, column_B=later, or_equal=True)
        )
    for column in ["leads", "mqls_v1", "mqls", "sqls", "opportunities", "won"]:
        checks.append(expectations.ExpectColumnValuesToBeBetween(column=column, min_value=0))
    return checks


def _revenue_retention_expectations(parameters: dict[str, Any]) -> list:
    import great_expectations as gx

    expectations = gx.expectations
    return [
        expectations.ExpectTableRowCountToBeBetween(min_value=1),
        expectations.ExpectCompoundColumnsToBeUnique(
            column_list=["grain", "period_start", "dimension_name", "dimension_value"]
        ),
        # starting + new + expansion + reactivation - contraction - churned = ending
        expectations.ExpectColumnValuesToBeBetween(
            column="mrr_identity_difference",
            min_value=-MRR_IDENTITY_TOLERANCE,
            max_value=MRR_IDENTITY_TOLERANCE,
        ),
        expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="starting_customers", column_B="churned_customers", or_equal=True
        ),
    ]


def _unique_key_expectations(columns: list[str]) -> Callable[[dict[str, Any]], list]:
    def build(parameters: dict[str, Any]) -> list:
        import great_expectations as gx

        expectations = gx.expectations
        checks = [expectations.ExpectTableRowCountToBeBetween(min_value=1)]
        if len(columns) == 1:
            checks.append(expectations.ExpectColumnValuesToBeUnique(column=columns[0]))
        else:
            checks.append(expectations.ExpectCompoundColumnsToBeUnique(column_list=columns))
        for column in columns:
            checks.append(expectations.ExpectColumnValuesToNotBeNull(column=column))
        return checks

    return build


def _batches() -> list[_Batch]:
    """Return the relations the suite reads, each with its expectations. The
    facts' keys are the primary entities of the semantic models, so a
    duplicate key would fan out every metric the semantic layer computes
    from them."""
    return [
        _Batch(
            name="metrics",
            sql=f"""
                select
                    *,
                    case
                        when unit = 'ratio' then 'ratio'
                        when unit in ({_NON_NEGATIVE_UNITS_SQL})
                            or regexp_full_match(unit, '[A-Z]{{3}}') then 'non_negative'
                    end as value_kind,
                    case
                        when isnan(value) then 'NaN'
                        when isinf(value) then 'infinity'
                    end as value_defect,
                    case
                        when numerator is not null and denominator is not null and denominator <> 0
                            and not isnan(value) and not isinf(value)
                            then abs(value - numerator / denominator) / greatest(1, abs(numerator / denominator))
                    end as ratio_difference
                from main.metrics
            """,
            expectations=_metrics_expectations,
        ),
        _Batch(
            name="fct_funnel_cohorts",
            area="funnel",
            sql="select * from main.fct_funnel_cohorts",
            expectations=_funnel_cohort_expectations,
        ),
        _Batch(
            name="fct_revenue_retention",
            area="revenue",
            sql="""
                select
                    *,
                    cast(
                        starting_mrr + new_mrr + expansion_mrr + reactivation_mrr
                        - contraction_mrr - churned_mrr - ending_mrr
                        as double
                    ) as mrr_identity_difference
                from main.fct_revenue_retention
            """,
            expectations=_revenue_retention_expectations,
        ),
        _Batch(
            name="fct_lead_lifecycle",
            area="funnel",
            sql="select person_id from main.fct_lead_lifecycle",
            expectations=_unique_key_expectations(["person_id"]),
        ),
        _Batch(
            name="fct_opportunities",
            area="pipeline",
            sql="select opportunity_id from main.fct_opportunities",
            expectations=_unique_key_expectations(["opportunity_id"]),
        ),
        _Batch(
            name="fct_mrr_account_months",
            area="revenue",
            sql="select account_id, mrr_month from main.fct_mrr_account_months",
            expectations=_unique_key_expectations(["account_id", "mrr_month"]),
        ),
    ]


def _read_parameters(connection: duckdb.DuckDBPyConnection, messages: list[str]) -> dict[str, Any]:
    """Read the reference values some expectations compare with. A value that
    cannot be read is left out, and the expectations that need it fail."""
    parameters: dict[str, Any] = {}
    queries = {
        "catalog_metrics": "select distinct metric_name, computed_by from main.metric_definitions",
        "latest_month": "select max(period_start) from main.metrics where grain = 'month'",
        "area_models": "select distinct computed_by from main.metrics",
    }
    for name, sql in queries.items():
        try:
            rows = connection.execute(sql).fetchall()
        except duckdb.Error as error:
            messages.append(f"could not read the reference value {name}: {error}")
            continue
        if name == "latest_month":
            # A datetime, because pandas reads the date column as timestamps
            # and great-expectations parses a date string into a date.
            latest = rows[0][0] if rows else None
            parameters[name] = datetime.datetime.combine(latest, datetime.time.min) if latest is not None else None
        elif name == "catalog_metrics":
            parameters[name] = sorted((row[0], row[1]) for row in rows)
        else:
            parameters[name] = sorted(row[0] for row in rows)
    rows_used = _rows_used_by_table(connection)
    parameters["inactive_areas"] = _inactive_areas(rows_used, messages)
    parameters["empty_input_tables"] = _empty_input_tables(rows_used, messages)
    models = parameters.pop("area_models", None)
    if models:
        try:
            parameters["area_row_count"] = sum(
                connection.execute(f'select count(*) from main."{model}"').fetchone()[0] for model in models
            )
        except duckdb.Error as error:
            messages.append(f"could not count the rows of the area models {models}: {error}")
    return parameters


def _rows_used_by_table(connection: duckdb.DuckDBPyConnection) -> dict[str, int] | None:
    """Return rows used per input table from stg_gtm__row_counts, or None
    when the build has no such relation."""
    try:
        return dict(connection.execute("select source_table, rows_used from main.stg_gtm__row_counts").fetchall())
    except duckdb.Error:
        return None


def _inactive_areas(rows_used: dict[str, int] | None, messages: list[str]) -> set[str]:
    """Return the areas whose input table has no usable row. Without
    stg_gtm__row_counts every area counts as active."""
    if rows_used is None:
        return set()
    inactive = {area for area, table in AREA_INPUTS.items() if not rows_used.get(table)}
    for area in sorted(inactive):
        messages.append(f"{area} not validated: input table {AREA_INPUTS[area]} has no usable rows")
    return inactive


def _empty_input_tables(rows_used: dict[str, int] | None, messages: list[str]) -> list[str]:
    """Return the input tables without usable rows, and report that the
    check that every catalog metric has rows is skipped because of them."""
    empty = sorted(table for table, used in (rows_used or {}).items() if not used)
    if empty:
        messages.append(
            "not checked that every catalog metric has rows, because input tables have no usable rows: "
            + ", ".join(empty)
        )
    return empty


def _read_batches(database: Path, batches: list[_Batch], messages: list[str]) -> dict[str, Any]:
    from gtm_metrics.semantic import connect_read_only

    connection = connect_read_only(database)
    try:
        for batch in batches:
            try:
                batch.frame = connection.execute(batch.sql).df()
            except duckdb.Error as error:
                batch.read_error = f"could not read {batch.name}: {error}"
                messages.append(batch.read_error)
        return _read_parameters(connection, messages)
    finally:
        connection.close()


def _context(data_docs_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites={
            "gtm_metrics": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _raised_exception(exception_info: Any) -> str | None:
    """Return the message of an exception great-expectations caught while
    evaluating an expectation, or None. Its exception_info is either one
    record or a mapping of metric ids to records, depending on where the
    error happened."""
    if not exception_info:
        return None
    records = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    for record in records:
        if isinstance(record, dict) and record.get("raised_exception"):
            return str(record.get("exception_message") or "the expectation raised an exception")
    return None


def _outcome(batch_name: str, result) -> ExpectationOutcome:
    config = result.expectation_config
    arguments = {
        key: value for key, value in dict(config.kwargs).items() if key not in ("batch_id", "result_format")
    }
    error = _raised_exception(result.exception_info)
    details = result.result or {}
    return ExpectationOutcome(
        batch=batch_name,
        expectation=config.type,
        arguments=json.loads(json.dumps(arguments, default=str)),
        # An errored expectation is a failure, whatever its success flag.
        success=bool(result.success) and error is None,
        errored=error is not None,
        unexpected_count=details.get("unexpected_count"),
        observed_value=json.loads(json.dumps(details.get("observed_value"), default=str)),
        message=error,
    )


def _validate(batches: list[_Batch], parameters: dict[str, Any], data_docs_dir: Path) -> list[ExpectationOutcome]:
    import great_expectations as gx

    context = _context(data_docs_dir)
    source = context.data_sources.add_pandas(SUITE_NAME)
    outcomes: list[ExpectationOutcome] = []
    definitions = []
    frames = {}
    for batch in batches:
        if batch.area in parameters.get("inactive_areas", set()):
            continue
        try:
            expectations = batch.expectations(parameters)
        except Exception as error:  # A suite that cannot be built is a failed check, never a skipped one.
            outcomes.append(_failed_outcome(batch.name, "build the expectations", f"{type(error).__name__}: {error}"))
            continue
        # A builder lists a reference value it could not get as a message:
        # that check fails instead of silently dropping out of the suite.
        for message in (item for item in expectations if isinstance(item, str)):
            outcomes.append(_failed_outcome(batch.name, "read a reference value", message))
        expectations = [item for item in expectations if not isinstance(item, str)]
        if batch.frame is None:
            outcomes += [
                _failed_outcome(batch.name, expectation.expectation_type, batch.read_error) for expectation in expectations
            ]
            continue
        suite = context.suites.add(gx.ExpectationSuite(name=f"{SUITE_NAME}.{batch.name}", expectations=expectations))
        batch_definition = source.add_dataframe_asset(batch.name).add_batch_definition_whole_dataframe(batch.name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{SUITE_NAME}.{batch.name}", data=batch_definition, suite=suite)
        )
        definitions.append(definition)
        frames[definition.name] = batch.frame

    if definitions:
        # One checkpoint per batch: a whole-DataFrame batch takes its frame as a
        # batch parameter, and one run takes one set of batch parameters.
        for definition in definitions:
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name=f"checkpoint.{definition.name}",
                    validation_definitions=[definition],
                    actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
                    result_format={"result_format": "SUMMARY"},
                )
            )
            run = checkpoint.run(batch_parameters={"dataframe": frames[definition.name]})
            for validation_result in run.run_results.values():
                batch_name = definition.name.split(".", 1)[1]
                outcomes += [_outcome(batch_name, result) for result in validation_result.results]
    return outcomes


def _failed_outcome(batch_name: str, expectation: str, message: str | None) -> ExpectationOutcome:
    return ExpectationOutcome(
        batch=batch_name, expectation=expectation, arguments={}, success=False, errored=True, message=message
    )


def _write_report(result: ValidationResult, database: Path, output_dir: Path) -> Path:
    path = output_dir / REPORT_FILE
    document = {
        "database": str(database),
        "passed": result.passed,
        "expectations_run": result.expectations_run,
        "expectations_failed": result.expectations_failed,
        "expectations_errored": result.expectations_errored,
        "data_docs": str(result.data_docs_path) if result.data_docs_path else None,
        "messages": result.messages,
        "outcomes": [asdict(outcome) for outcome in result.outcomes],
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def run_validation(database: Path, output_dir: Path, data_docs_dir: Path | None = None) -> ValidationResult:
    """Validate the metric tables in `database` and write the Data Docs site
    (to `data_docs_dir`, by default `output_dir`/data_docs) and
    validation_report.json (to `output_dir`).

    The result fails when any expectation fails or errors, when a checked
    relation cannot be read, and when no expectation ran at all."""
    database = Path(database)
    output_dir = Path(output_dir)
    data_docs_dir = Path(data_docs_dir) if data_docs_dir is not None else output_dir / DATA_DOCS_FOLDER
    output_dir.mkdir(parents=True, exist_ok=True)
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    # great-expectations reads this when a context has no analytics setting.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

    result = ValidationResult()
    if not database.is_file():
        result.messages.append(f"database not found: {database}; build the project first.")
        result.outcomes.append(_failed_outcome("database", "read the database", result.messages[-1]))
    else:
        batches = _batches()
        parameters = _read_batches(database, batches, result.messages)
        result.outcomes = _validate(batches, parameters, data_docs_dir)

    result.expectations_run = len(result.outcomes)
    result.expectations_failed = sum(1 for outcome in result.outcomes if not outcome.success)
    result.expectations_errored = sum(1 for outcome in result.outcomes if outcome.errored)
    index = data_docs_dir / "index.html"
    result.data_docs_path = index if index.is_file() else None
    result.report_path = _write_report(result, database, output_dir)
    for outcome in result.outcomes:
        if not outcome.success:
            logger.warning(
                "expectation failed: %s %s %s%s",
                outcome.batch,
                outcome.expectation,
                outcome.arguments,
                f" ({outcome.message})" if outcome.message else "",
            )
    logger.info(
        "validation: %d expectations, %d failed (%d errored); report %s",
        result.expectations_run,
        result.expectations_failed,
        result.expectations_errored,
        result.report_path,
    )
    return result


def run_validation_suite(database: Path, output_dir: Path) -> ValidationResult:
    """Run the suite as run_validation() does; the name callers used first."""
    return run_validation(database, output_dir)
