"""The steps of the main job: map, load, build, validate, export, report.

Each step is a function the command-line tool calls; none prints.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from gtm_metrics.contract import load_contract
from gtm_metrics.dbt_runner import DbtOutcome, run_dbt
from gtm_metrics.errors import InputError
from gtm_metrics.loader import TableLoad, load_folder_to_duckdb
from gtm_metrics.mapping import Mapping
from gtm_metrics.reconciliation import (
    QUARANTINE_FILE,
    SUMMARY_FILE,
    FileSummary,
    Reconciliation,
    connect,
    find_relation,
    mapping_summaries,
    read_quarantine,
    read_summary,
    reconcile,
    staging_quarantine,
    write_quarantine,
    write_summary,
)
from gtm_metrics.transform import MappingResult, apply_mapping

logger = logging.getLogger(__name__)

CONTRACT_FOLDER = "contract"

@dataclass
class LoadOutcome:
    """Result of the load step: per-file summaries and the mapping result, if any."""

    summaries: list[FileSummary]
    table_loads: list[TableLoad]
    mapping_result: MappingResult | None = None


def map_exports(mapping: Mapping, exports_folder: Path, output_dir: Path) -> MappingResult:
    """Apply `mapping` and write the contract files, the mapping-stage
    quarantine and the per-file counts into `output_dir`."""
    result = apply_mapping(mapping, exports_folder, output_dir / CONTRACT_FOLDER, load_contract())
    write_quarantine(output_dir / QUARANTINE_FILE, result.quarantine)
    write_summary(output_dir / SUMMARY_FILE, mapping_summaries(result))
    return result


def load_input(folder: Path, database: Path, output_dir: Path, mapping: Mapping | None) -> LoadOutcome:
    """Load `folder` into the raw schema of `database`, through `mapping`
    when one is given."""
    mapping_result = None
    if mapping is not None:
        mapping_result = map_exports(mapping, folder, output_dir)
        folder = output_dir / CONTRACT_FOLDER
    table_loads = load_folder_to_duckdb(folder, database)
    if mapping_result is not None:
        summaries = mapping_summaries(mapping_result)
    else:
        summaries = [
            FileSummary(table=load.table, source_file=Path(load.file).name, rows_read=load.rows_read,
                        rows_loaded=load.rows_read)
            for load in table_loads
            if load.file is not None
        ]
        write_quarantine(output_dir / QUARANTINE_FILE, [])
        write_summary(output_dir / SUMMARY_FILE, summaries)
    return LoadOutcome(summaries=summaries, table_loads=table_loads, mapping_result=mapping_result)


def release_database() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open for the life of the
    process, so that later connections to the same file (the validation
    suite opens it read-only) do not conflict with it."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        return
    # NOTE: _ENV and _LOCK are private to dbt-duckdb 1.11; dbt reopens the
    # environment on its next invocation.
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def build_project(
    database: Path,
    target_path: Path,
    variables: dict[str, str],
    select: str | None = None,
    exclude: str | None = None,
    extra_args: list[str] | None = None,
) -> DbtOutcome:
    """Run `dbt build` and return its outcome without raising on test failures.

    dbt unit tests pin each definition under the project's default
    variables. With user variables the build therefore leaves them out, and
    a second invocation runs them with the defaults. The outcome adds up
    both invocations."""
    args = ["build", *(extra_args or [])]
    if select:
        args += ["--select", select]
    if exclude:
        args += ["--exclude", exclude]
    if variables:
        args += ["--vars", json.dumps(variables), "--exclude-resource-type", "unit_test"]
    try:
        outcome = run_dbt(args, database=database, target_path=target_path, raise_on_failure=False)
        if not variables:
            return outcome
        unit_args = ["test", "--resource-type", "unit_test", *(["--select", select] if select else [])]
        if exclude:
            unit_args += ["--exclude", exclude]
        # A target folder of its own keeps the build's manifest, whose
        # compiled SQL the catalog hashes.
        unit_outcome = run_dbt(
            unit_args, database=database, target_path=target_path / "unit_tests", raise_on_failure=False
        )
    finally:
        release_database()
    return DbtOutcome(
        command=outcome.command + ["+"] + unit_outcome.command,
        success=outcome.success and unit_outcome.success,
        passed=outcome.passed + unit_outcome.passed,
        warned=outcome.warned + unit_outcome.warned,
        failed=outcome.failed + unit_outcome.failed,
        errored=outcome.errored + unit_outcome.errored,
        skipped=outcome.skipped + unit_outcome.skipped,
        failures=outcome.failures + unit_outcome.failures,
    )


def build_adapter_input(database: Path, target_path: Path, variables: dict[str, str], input_source: str) -> str:
    """Build the warehouse adapter `input_source` (salesforce or hubspot) and
    return the schema of the contract-shaped relations it built.

    The adapter runs as its own dbt invocation before the project build,
    because staging reads the contract tables as a dbt source and so has no
    dependency edge that would order it after the adapter models."""
    variables = {**variables, "gtm_input_source": input_source}
    try:
        outcome = run_dbt(
            ["run", "--select", f"staging.{input_source}", "--vars", json.dumps(variables)],
            database=database,
            target_path=target_path,
            raise_on_failure=True,
        )
    finally:
        release_database()
    if outcome.passed == 0:
        raise InputError(f"the {input_source} adapter built no model; check var gtm_input_source.")
    manifest = json.loads((target_path / "manifest.json").read_text(encoding="utf-8"))
    schemas = {
        node["schema"]
        for node in manifest["nodes"].values()
        if node.get("resource_type") == "model" and node.get("fqn", [])[1:3] == ["staging", input_source]
    }
    if len(schemas) != 1:
        raise InputError(f"the {input_source} adapter models are spread over schemas {sorted(schemas)}.")
    return schemas.pop()


def write_reports(
    database: Path,
    output_dir: Path,
    loaded_summaries: list[FileSummary] | None,
    source_schema: str = "raw",
    by_file: bool = True,
) -> tuple[Reconciliation, int]:
    """Write quarantine.csv (both stages) and load_summary.csv after a build.
    Return the reconciliation and the number of quarantined rows."""
    if loaded_summaries is None:
        loaded_summaries = read_summary(output_dir / SUMMARY_FILE)
    mapping_entries = [entry for entry in read_quarantine(output_dir / QUARANTINE_FILE) if entry.stage == "mapping"]
    connection = connect(database)
    try:
        staging_entries = staging_quarantine(connection, source_schema)
        if by_file:
            reconciliation = reconcile(connection, loaded_summaries, source_schema)
        else:
            reconciliation = _table_reconciliation(connection, source_schema)
    finally:
        connection.close()
    entries = mapping_entries + staging_entries
    write_quarantine(output_dir / QUARANTINE_FILE, entries)
    write_summary(output_dir / SUMMARY_FILE, reconciliation.files)
    rows = {(entry.stage, entry.table, entry.source_file, entry.source_row, entry.record_id) for entry in entries}
    return reconciliation, len(rows)


def _table_reconciliation(connection, source_schema: str) -> Reconciliation:
    """Per-table counts from stg_gtm__row_counts, for warehouse input
    without files."""
    relation = find_relation(connection, "stg_gtm__row_counts", exclude_schema=source_schema)
    if relation is None:
        raise InputError("stg_gtm__row_counts not found; run `gtm-metrics build` first.")
    files = []
    problems = []
    for table, read, used, quarantined in connection.execute(
        f"select source_table, rows_read, rows_used, rows_quarantined from {relation} order by source_table"
    ).fetchall():
        summary = FileSummary(
            table=table, source_file=f"{source_schema}.{table}", rows_read=read, rows_loaded=read,
            rows_quarantined_staging=quarantined, rows_used=used,
        )
        files.append(summary)
        if not summary.reconciles:
            problems.append(f"{table}: {read} rows read but {used} used and {quarantined} quarantined.")
    return Reconciliation(files=files, problems=problems)
