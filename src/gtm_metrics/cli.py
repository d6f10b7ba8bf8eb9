"""Command-line tool: gtm-metrics.

Progress goes to stderr (dbt's own log lines included) and results to
stdout. Exit codes: 0 success, 1 checks failed (dbt tests or validations),
2 usage or input error.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path

from gtm_metrics.contract import load_contract, project_dir
from gtm_metrics.errors import ChecksFailedError, DbtInvocationError, InputError

logger = logging.getLogger("gtm_metrics")

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_USAGE = 2

EPILOG = """exit codes:
  0  success
  1  checks failed (a dbt test, a model, a validation or the row reconciliation failed)
  2  usage or input error (bad option, missing file or column, unreadable file, invalid mapping)
"""

RUN_EPILOG = """examples:
  gtm-metrics run                                    build the shipped demo data
  gtm-metrics run exports/ --mapping my_crm.yml      build your own exports through a mapping
  gtm-metrics run PATH/olist_marketing_funnel --mapping olist_marketing_funnel
  gtm-metrics run --input-source salesforce --var gtm_salesforce_schema=salesforce

outputs (in --output-dir):
  contract/           the exports converted to the input contract (with --mapping)
  quarantine.csv      every row set aside, with file, row, line, column, value and reason
  load_summary.csv    per file and table: rows read = excluded + quarantined + loaded,
                      rows loaded = used + quarantined in staging
  metrics.parquet/.csv, metric_catalog.parquet/.csv/.json/.md, validation_report.json
  dashboard.html      the shared dashboard, one self-contained HTML file
  data_docs/          the great-expectations Data Docs
and in --target-path: static_index.html, the dbt documentation site in one file

""" + EPILOG


def default_database() -> Path:
    configured = os.environ.get("GTM_DUCKDB_PATH")
    return Path(configured) if configured else project_dir() / "target" / "gtm_metrics.duckdb"


def default_target_path() -> Path:
    configured = os.environ.get("GTM_TARGET_PATH")
    return Path(configured) if configured else project_dir() / "target"


def default_output_dir() -> Path:
    return project_dir() / "output"


def progress(step: int, total: int, message: str) -> None:
    print(f"[{step}/{total}] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def dbt_output_on_stderr():
    """dbt prints its log lines on stdout; keep stdout for results."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


# Option groups


def add_database(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--database",
        type=Path,
        default=default_database(),
        help="DuckDB file to write and read (default: $GTM_DUCKDB_PATH, else %(default)s)",
    )


def add_output_dir(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--output-dir",
        type=Path,
        default=default_output_dir(),
        help="folder for contract files, quarantine, summary, exports and reports (default: %(default)s)",
    )


def add_target_path(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--target-path",
        type=Path,
        default=default_target_path(),
        help="dbt target folder for compiled SQL, manifest and logs (default: $GTM_TARGET_PATH, else %(default)s)",
    )


def add_mapping(sub: argparse.ArgumentParser, help_text: str) -> None:
    sub.add_argument("--mapping", metavar="FILE", help=help_text)


def add_build_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a dbt variable, for example gtm_as_of_date=2024-06-30 (repeatable); "
        "values override a mapping's settings",
    )
    sub.add_argument(
        "--input-source",
        choices=("contract", "salesforce", "hubspot"),
        default="contract",
        help="contract: the raw tables loaded from files (default); salesforce or hubspot: "
        "tables synced by a connector, read through the warehouse adapter (point it at them "
        "with --var gtm_salesforce_schema=... or --var gtm_hubspot_schema=...)",
    )


# Shared helpers


def _load_mapping(value: str | None):
    if value is None:
        return None
    from gtm_metrics.mapping import load_mapping, resolve_mapping_path

    return load_mapping(resolve_mapping_path(value))


def _build_variables(options: argparse.Namespace, mapping) -> dict[str, str]:
    from gtm_metrics.variables import check_dbt_vars, parse_var_options

    variables = dict(mapping.settings.dbt_vars()) if mapping is not None else {}
    variables.update(parse_var_options(options.var))
    return check_dbt_vars(variables)


def _print_table_loads(loads) -> None:
    for load in loads:
        source = Path(load.file).name if load.file else "no file (empty table)"
        print(f"  {load.table:28} {load.rows_read:>10,} rows  {source}")
        if load.missing_optional_columns:
            print(f"  {'':28} optional columns absent, loaded as null: {', '.join(load.missing_optional_columns)}")
        if load.ignored_columns:
            print(f"  {'':28} columns not in the contract, ignored: {', '.join(load.ignored_columns)}")


def _print_mapping_result(result) -> None:
    mapping = result.mapping
    print(f"mapping {mapping.name} ({mapping.path})")
    for table, reason in mapping.absent.items():
        print(f"  {table:28} absent: {reason}")
    for table in mapping.tables_not_declared(load_contract()):
        print(f"  {table:28} not mapped and not declared absent in the mapping")
    for file_name, columns in result.unused_columns.items():
        print(f"  {file_name}: columns not used by the mapping: {', '.join(columns)}")


def _print_summary(summaries) -> None:
    print("rows per export file and contract table")
    header = f"  {'file':44} {'table':26} {'read':>8} {'excluded':>9} {'quarant.':>9} {'loaded':>8} {'quarant.':>9} {'used':>8}"
    print(header)
    print(f"  {'':44} {'':26} {'':>8} {'':>9} {'(mapping)':>9} {'':>8} {'(staging)':>9} {'':>8}")
    for summary in summaries:
        staging = "" if summary.rows_quarantined_staging is None else f"{summary.rows_quarantined_staging:,}"
        used = "" if summary.rows_used is None else f"{summary.rows_used:,}"
        print(
            f"  {summary.source_file[:44]:44} {summary.table:26} {summary.rows_read:>8,} {summary.rows_excluded:>9,} "
            f"{summary.rows_quarantined_mapping:>9,} {summary.rows_loaded:>8,} {staging:>9} {used:>8}"
        )
        if summary.exclusion_rule:
            print(f"  {'':44} excluded by the rule: {summary.exclusion_rule}")


def _print_outcome(outcome) -> None:
    print(
        f"dbt {outcome.command[0]}: {outcome.passed} passed, {outcome.warned} warnings, "
        f"{outcome.failed} failed, {outcome.errored} errors, {outcome.skipped} skipped"
    )
    for failure in outcome.failures:
        print(f"  failed: {failure}")


def _format_value(value, unit) -> str:
    if value is None:
        return "null"
    if unit == "ratio":
        return f"{value:.4f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


# Commands


def command_map(options: argparse.Namespace) -> int:
    from gtm_metrics.reconciliation import QUARANTINE_FILE, mapping_summaries
    from gtm_metrics.workflow import CONTRACT_FOLDER, map_exports

    mapping = _load_mapping(options.mapping)
    progress(1, 1, f"mapping {options.folder} with {mapping.path}")
    result = map_exports(mapping, Path(options.folder), options.output_dir)
    _print_mapping_result(result)
    _print_summary(mapping_summaries(result))
    print(f"contract files: {options.output_dir / CONTRACT_FOLDER}")
    print(f"quarantine: {options.output_dir / QUARANTINE_FILE} ({len({(q.table, q.source_row) for q in result.quarantine})} rows)")
    return EXIT_OK


def command_load(options: argparse.Namespace) -> int:
    from gtm_metrics.workflow import load_input

    mapping = _load_mapping(options.mapping)
    progress(1, 1, f"loading {options.folder}" + (f" through mapping {mapping.name}" if mapping else ""))
    outcome = load_input(Path(options.folder), options.database, options.output_dir, mapping)
    if outcome.mapping_result is not None:
        _print_mapping_result(outcome.mapping_result)
        _print_summary(outcome.summaries)
    else:
        _print_table_loads(outcome.table_loads)
    print(f"database: {options.database.resolve()}")
    return EXIT_OK


def command_build(options: argparse.Namespace) -> int:
    from gtm_metrics.workflow import build_adapter_input, build_project, write_reports

    mapping = _load_mapping(options.mapping)
    variables = _build_variables(options, mapping)
    steps = 3 if options.input_source != "contract" else 2
    if options.select is not None:
        steps -= 1
    step = 1
    exclude = None
    source_schema = "raw"
    with dbt_output_on_stderr():
        if options.input_source != "contract":
            progress(step, steps, f"building the {options.input_source} adapter")
            source_schema = build_adapter_input(options.database, options.target_path, variables, options.input_source)
            variables = {**variables, "gtm_source_schema": source_schema}
            exclude = f"staging.{options.input_source}"
            step += 1
        progress(step, steps, "building and testing the dbt project")
        outcome = build_project(options.database, options.target_path, variables, options.select, exclude)
    _print_outcome(outcome)
    if options.select is None and _has_staging(options.database):
        progress(steps, steps, "writing the quarantine and row reconciliation")
        reconciliation, _ = write_reports(
            options.database, options.output_dir, None, source_schema, by_file=options.input_source == "contract"
        )
        for problem in reconciliation.problems:
            print(f"reconciliation: {problem}")
        if reconciliation.problems:
            return EXIT_CHECKS_FAILED
    return EXIT_OK if outcome.success else EXIT_CHECKS_FAILED


def command_validate(options: argparse.Namespace) -> int:
    from gtm_metrics.validation import run_validation_suite

    if not Path(options.database).exists():
        raise InputError(f"{options.database}: database not found; run `gtm-metrics build` first.")
    progress(1, 1, "running the validation suite")
    report = run_validation_suite(options.database, options.output_dir)
    for message in report.messages:
        print(message, file=sys.stderr)
    if not report.suite_available:
        return EXIT_USAGE
    print(f"validation: {report.expectations_run} expectations, {report.expectations_failed} failed")
    print(f"report: {report.report_path}")
    return EXIT_OK if report.success else EXIT_CHECKS_FAILED


def command_export(options: argparse.Namespace) -> int:
    from gtm_metrics.export import export_outputs

    progress(1, 1, f"exporting metrics and catalog to {options.output_dir}")
    formats = tuple(name.strip() for name in options.format.split(",") if name.strip())
    result = export_outputs(options.database, options.output_dir, formats, options.target_path / "manifest.json")
    for path in result.files:
        print(path)
    for note in result.notes:
        print(f"note: {note}")
    return EXIT_OK


def command_run(options: argparse.Namespace) -> int:
    from gtm_metrics.export import export_outputs, headline_metrics
    from gtm_metrics.reconciliation import QUARANTINE_FILE, SUMMARY_FILE
    from gtm_metrics.validation import run_validation_suite
    from gtm_metrics.workflow import (
        CONTRACT_FOLDER,
        build_adapter_input,
        build_project,
        load_input,
        write_reports,
    )

    adapter = options.input_source != "contract"
    if adapter and (options.mapping or options.folder):
        raise InputError("--input-source reads tables in the warehouse; it takes no folder and no --mapping.")
    folder = Path(options.folder) if options.folder else project_dir() / "demo_data"
    if options.mapping and not options.folder:
        raise InputError("--mapping needs the folder of exports: gtm-metrics run FOLDER --mapping FILE.")
    mapping = _load_mapping(options.mapping)
    variables = _build_variables(options, mapping)
    total = 7
    source_schema = "raw"
    exclude = None
    loaded = None

    with dbt_output_on_stderr():
        if adapter:
            progress(1, total, f"building the {options.input_source} adapter")
            source_schema = build_adapter_input(options.database, options.target_path, variables, options.input_source)
            variables = {**variables, "gtm_source_schema": source_schema}
            exclude = f"staging.{options.input_source}"
        else:
            progress(1, total, f"loading {folder}" + (f" through mapping {mapping.name}" if mapping else ""))
            loaded = load_input(folder, options.database, options.output_dir, mapping)
        progress(2, total, "building and testing the dbt project")
        outcome = build_project(options.database, options.target_path, variables, exclude=exclude)
    if outcome.errored and not _has_staging(options.database):
        _print_outcome(outcome)
        return EXIT_CHECKS_FAILED

    progress(3, total, "running the validation suite")
    if outcome.success:
        validation = run_validation_suite(options.database, options.output_dir)
    else:
        # Models skipped after a failed test do not exist, so every
        # expectation on them would fail for that reason alone.
        from gtm_metrics.validation import ValidationResult

        validation = ValidationResult(
            suite_available=False,
            messages=["the dbt build failed (see the failures listed below); fix them and run again."],
        )
    progress(4, total, "hashing the metric definitions and exporting metrics and catalog")
    catalog_note = _export_catalog_files(options)
    export = export_outputs(options.database, options.output_dir, manifest=options.target_path / "manifest.json")
    if catalog_note:
        export.notes.append(catalog_note)
    progress(5, total, "writing the quarantine and row reconciliation")
    reconciliation, quarantined_rows = write_reports(
        options.database, options.output_dir, loaded.summaries if loaded else None, source_schema, by_file=not adapter
    )
    progress(6, total, "drawing the shared dashboard")
    report_path, report_note = _render_report_file(options.database, options.output_dir / REPORT_FILE)
    if report_note:
        export.notes.append(report_note)
    progress(7, total, "generating the dbt documentation site")
    docs_path, docs_note = _generate_docs_site(options.database, options.target_path, variables)
    if docs_note:
        export.notes.append(docs_note)

    if loaded is not None and loaded.mapping_result is not None:
        _print_mapping_result(loaded.mapping_result)
    _print_summary(reconciliation.files)
    for problem in reconciliation.problems:
        print(f"reconciliation failed: {problem}")
    _print_outcome(outcome)
    if validation.suite_available:
        print(f"validation: {validation.expectations_run} expectations, {validation.expectations_failed} failed")
    else:
        print("validation: not run; " + " ".join(validation.messages))

    headlines = headline_metrics(options.database)
    if headlines:
        print("headline metrics (latest month with a value, whole business)")
        for row in headlines[: options.headlines]:
            period = row["period_start"].strftime("%Y-%m") if row["period_start"] else "-"
            print(
                f"  {row['metric_name']:40} v{row['metric_version']}  {period}  "
                f"{_format_value(row['value'], row['unit']):>16} {row['unit']}"
            )
        if len(headlines) > options.headlines:
            print(f"  ... {len(headlines) - options.headlines} more metrics in the metrics files")

    print("outputs")
    print(f"  {'database':25} {options.database.resolve()}")
    if mapping is not None:
        print(f"  {'contract files':25} {(options.output_dir / CONTRACT_FOLDER).resolve()}")
    print(f"  {'quarantine':25} {(options.output_dir / QUARANTINE_FILE).resolve()} ({quarantined_rows} rows)")
    print(f"  {'row reconciliation':25} {(options.output_dir / SUMMARY_FILE).resolve()}")
    catalog_documents = [options.output_dir / name for name in ("metric_catalog.json", "metric_catalog.md")]
    for path in export.files + [path for path in catalog_documents if path.exists()]:
        print(f"  {path.stem + ' (' + path.suffix[1:] + ')':25} {path.resolve()}")
    if validation.report_path is not None:
        print(f"  {'validation report':25} {validation.report_path.resolve()}")
    if validation.data_docs_path is not None:
        print(f"  {'validation data docs':25} {validation.data_docs_path.resolve()}")
    if report_path is not None:
        print(f"  {'dashboard':25} {report_path.resolve()}")
    if docs_path is not None:
        print(f"  {'dbt docs site':25} {docs_path.resolve()}")
    for note in export.notes:
        print(f"note: {note}")

    failed = not outcome.success or bool(reconciliation.problems) or (
        validation.suite_available and not validation.success
    )
    return EXIT_CHECKS_FAILED if failed else EXIT_OK


REPORT_FILE = "dashboard.html"


def _render_report_file(database: Path, output: Path, period: str | None = None, segment: str | None = None):
    """Render the dashboard; return its path and None, or None and a note
    saying why it could not be drawn."""
    from gtm_metrics.errors import GtmMetricsError
    from gtm_metrics.report import render_report
    from gtm_metrics.workflow import release_database

    release_database()
    try:
        return render_report(database, output, period=period, segment=segment), None
    except GtmMetricsError as error:
        return None, f"the dashboard was not drawn: {error}"


def _generate_docs_site(database: Path, target_path: Path, variables: dict[str, str]):
    """Run `dbt docs generate --static`; return the single-file site that
    opens offline and None, or None and a note saying why it failed."""
    import json

    from gtm_metrics.dbt_runner import run_dbt
    from gtm_metrics.errors import GtmMetricsError
    from gtm_metrics.workflow import release_database

    args = ["docs", "generate", "--static"]
    if variables:
        args += ["--vars", json.dumps(variables)]
    try:
        with dbt_output_on_stderr():
            run_dbt(args, database=database, target_path=target_path)
    except GtmMetricsError as error:
        return None, f"the dbt documentation site was not generated: {error}"
    finally:
        release_database()
    site = target_path / "static_index.html"
    if not site.exists():
        return None, f"dbt docs generate wrote no {site}"
    return site, None


def command_report(options: argparse.Namespace) -> int:
    from gtm_metrics.report import render_report

    output = options.output or options.output_dir / REPORT_FILE
    progress(1, 1, f"drawing the shared dashboard from {options.database}")
    path = render_report(options.database, output, period=options.period, segment=options.segment)
    print(path.resolve())
    return EXIT_OK


def command_catalog(options: argparse.Namespace) -> int:
    from gtm_metrics.catalog import export_catalog

    progress(1, 1, f"hashing the metric definitions of the last build and writing the catalog to {options.output_dir}")
    with dbt_output_on_stderr():
        export = export_catalog(options.database, options.target_path, options.output_dir)
    print(f"metric_definitions: {export.metric_count} metric versions, hashes stored")
    print(export.json_path)
    print(export.markdown_path)
    return EXIT_OK


def command_diff(options: argparse.Namespace) -> int:
    from gtm_metrics.definition_diff import diff_metric_versions

    progress(1, 1, f"comparing {options.metric} version {options.from_version} with version {options.to_version}")
    with dbt_output_on_stderr():
        comparison = diff_metric_versions(
            options.metric, options.from_version, options.to_version, options.grain, options.dimension,
            options.database, options.target_path / "definition_diff",
        )
    print(comparison.render())
    return EXIT_OK


def _export_catalog_files(options: argparse.Namespace) -> str | None:
    """Write metric_catalog.json and .md and fill the definition hashes in
    metric_definitions. Return a note when that could not be done."""
    from gtm_metrics.catalog import export_catalog
    from gtm_metrics.errors import GtmMetricsError

    from gtm_metrics.workflow import release_database

    try:
        with dbt_output_on_stderr():
            export_catalog(options.database, options.target_path, options.output_dir)
    except GtmMetricsError as error:
        return f"the catalog definitions and hashes were not refreshed: {error}"
    finally:
        release_database()
    return None


def _has_staging(database: Path) -> bool:
    from gtm_metrics.reconciliation import connect, find_relation

    connection = connect(database)
    try:
        return find_relation(connection, "stg_gtm__row_counts") is not None
    finally:
        connection.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gtm-metrics",
        description="Load go-to-market exports and build the canonical metrics with dbt.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more detail on stderr (-vv for debug)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_command(name: str, help_text: str, epilog: str = EPILOG) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help_text, description=help_text, epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    map_command = add_command("map", "convert a folder of exports into contract-shaped files, without loading them")
    map_command.add_argument("folder", help="folder with the exported files the mapping names")
    map_command.add_argument("--mapping", metavar="FILE", required=True,
                             help="mapping YAML file, or the name of a shipped mapping in mappings/")
    add_output_dir(map_command)
    map_command.set_defaults(handler=command_map)

    load = add_command("load", "load a folder of files into the database's raw schema")
    load.add_argument("folder", help="folder with one <table>.csv or <table>.parquet per contract table, "
                      "or with the exports a --mapping names")
    add_mapping(load, "mapping YAML file (or the name of a shipped mapping) that converts the folder's exports")
    add_database(load)
    add_output_dir(load)
    load.set_defaults(handler=command_load)

    build = add_command("build", "build and test the dbt project on the database")
    build.add_argument("--select", help="dbt node selection (default: the whole project; a selection skips the reconciliation)")
    add_mapping(build, "take dbt variables (time zone, currency, as-of date) from this mapping's settings")
    add_build_options(build)
    add_database(build)
    add_target_path(build)
    add_output_dir(build)
    build.set_defaults(handler=command_build)

    validate = add_command("validate", "run the validation suite on the built models")
    add_database(validate)
    add_output_dir(validate)
    validate.set_defaults(handler=command_validate)

    export = add_command("export", "export the metrics table and metric catalog for BI tools")
    export.add_argument("--format", default="parquet,csv",
                        help="comma-separated file formats to write: parquet, csv (default: %(default)s)")
    add_database(export)
    add_output_dir(export)
    add_target_path(export)
    export.set_defaults(handler=command_export)

    run = add_command("run", "load, build, test, validate and export in one go, then print a summary", RUN_EPILOG)
    run.add_argument(
        "folder",
        nargs="?",
        help=f"input folder (default: the shipped demo data, {project_dir() / 'demo_data'})",
    )
    add_mapping(run, "mapping YAML file, or the name of a shipped mapping in mappings/, that converts the folder's exports")
    add_build_options(run)
    run.add_argument("--headlines", type=int, default=12, metavar="N",
                     help="number of headline metrics to print (default: %(default)s)")
    add_database(run)
    add_target_path(run)
    add_output_dir(run)
    run.set_defaults(handler=command_run)

    report = add_command("report", "draw the shared dashboard: one self-contained HTML file from the metrics table")
    add_database(report)
    add_output_dir(report)
    report.add_argument(
        "--output", type=Path, help=f"HTML file to write (default: OUTPUT_DIR/{REPORT_FILE})"
    )
    report.add_argument(
        "--period", help="period shown: YYYY-MM, YYYY-Qn or YYYY (default: the latest month in the metrics table)"
    )
    report.add_argument("--segment", help="segment shown, as in the segment dimension (default: all segments)")
    report.set_defaults(handler=command_report)

    catalog = add_command(
        "catalog",
        "hash the metric definitions of the last build, store the hashes in metric_definitions "
        "and write metric_catalog.json and metric_catalog.md",
    )
    add_database(catalog)
    add_target_path(catalog)
    add_output_dir(catalog)
    catalog.set_defaults(handler=command_catalog)

    diff = add_command("diff", "compare two versions of a metric: definition changes and values per period")
    diff.add_argument("metric", help="metric name, for example new_mqls")
    diff.add_argument("--from-version", type=int, default=1, help="older version (default: %(default)s)")
    diff.add_argument("--to-version", type=int, default=2, help="newer version (default: %(default)s)")
    diff.add_argument("--grain", default="month",
                      help="period grain: day, week, month, quarter, fiscal_quarter or year (default: %(default)s)")
    diff.add_argument("--dimension", default="all",
                      help="dimension to break the values down by, for example channel (default: the total)")
    add_database(diff)
    add_target_path(diff)
    diff.set_defaults(handler=command_diff)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(options.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return options.handler(options)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ChecksFailedError as error:
        print(f"checks failed: {error}", file=sys.stderr)
        return EXIT_CHECKS_FAILED
    except DbtInvocationError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        if options.verbose:
            raise
        print(
            f"error: unexpected {type(error).__name__}: {error}. Run again with -v to see the traceback, "
            "and report it with the command you ran.",
            file=sys.stderr,
        )
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
