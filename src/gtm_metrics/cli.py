"""Command-line tool: gtm-metrics.

Exit codes: 0 success, 1 checks failed (dbt tests or validations),
2 usage or input error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from gtm_metrics.contract import project_dir
from gtm_metrics.errors import ChecksFailedError, DbtInvocationError, InputError

logger = logging.getLogger("gtm_metrics")

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_USAGE = 2

EPILOG = """exit codes:
  0  success
  1  checks failed (a dbt test, a model or a validation failed)
  2  usage or input error (bad option, missing file or column, unreadable file)
"""


def default_database() -> Path:
    return project_dir() / "target" / "gtm_metrics.duckdb"


def command_load(options: argparse.Namespace) -> int:
    from gtm_metrics.loader import load_folder_to_duckdb

    loads = load_folder_to_duckdb(Path(options.folder), Path(options.database))
    for load in loads:
        source = load.file or "no file (empty table)"
        print(f"{load.table:28} {load.rows_read:>10,} rows  {source}")
        if load.missing_optional_columns:
            print(f"{'':28} optional columns absent, loaded as null: {', '.join(load.missing_optional_columns)}")
        if load.ignored_columns:
            print(f"{'':28} columns not in the contract, ignored: {', '.join(load.ignored_columns)}")
    return EXIT_OK


def command_build(options: argparse.Namespace) -> int:
    from gtm_metrics.dbt_runner import run_dbt

    args = ["build"]
    if options.select:
        args += ["--select", options.select]
    outcome = run_dbt(args, database=Path(options.database))
    print(
        f"dbt build: {outcome.passed} passed, {outcome.warned} warnings, "
        f"{outcome.failed} failed, {outcome.errored} errors, {outcome.skipped} skipped"
    )
    return EXIT_OK


def command_run(options: argparse.Namespace) -> int:
    print(f"[1/2] loading {options.folder}", file=sys.stderr)
    command_load(options)
    print("[2/2] building and testing the dbt project", file=sys.stderr)
    options.select = None
    command_build(options)
    print(f"database: {Path(options.database).resolve()}")
    print(f"quarantined rows: table main.stg_gtm__quarantine; row reconciliation: main.stg_gtm__row_counts")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gtm-metrics",
        description="Load go-to-market exports and build the canonical metrics with dbt.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more detail on stderr (-vv for debug)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_database(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--database",
            default=str(default_database()),
            help="DuckDB file to write (default: %(default)s)",
        )

    load = commands.add_parser("load", help="load a folder of contract-shaped files into the database", epilog=EPILOG,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    load.add_argument("folder", help="folder with one <table>.csv or <table>.parquet per contract table")
    add_database(load)
    load.set_defaults(handler=command_load)

    build = commands.add_parser("build", help="build and test the dbt project on the database", epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--select", help="dbt node selection (default: the whole project)")
    add_database(build)
    build.set_defaults(handler=command_build)

    run = commands.add_parser("run", help="load a folder, then build and test everything", epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument(
        "folder",
        nargs="?",
        default=str(project_dir() / "demo_data"),
        help="input folder (default: the shipped demo data, %(default)s)",
    )
    add_database(run)
    run.set_defaults(handler=command_run)
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


if __name__ == "__main__":
    sys.exit(main())
