"""The gtm-metrics command on broken exports. Each broken shape gives a clear
message (exit code 2) or a counted quarantine row that names the file, line,
column and value. None gives a traceback or loses a row silently.

The fixtures are under tests/python/data/broken_exports: one folder per
file-level case, and `messy/` with every row-level case at once, run end to
end through tests/python/data/broken_exports/crm_mapping.yml."""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from gtm_metrics.cli import main

BROKEN = Path(__file__).parent / "data" / "broken_exports"
LEADS_MAPPING = BROKEN / "leads_mapping.yml"


@dataclass
class CommandResult:
    exit_code: int
    stdout: str
    stderr: str


def run_command(*args: str) -> CommandResult:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        exit_code = main([str(arg) for arg in args])
    return CommandResult(exit_code, stdout.getvalue(), stderr.getvalue())


def assert_input_error(result: CommandResult, *fragments: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# File-level problems: the mapping step stops with exit code 2.


def test_missing_required_column(tmp_path):
    result = run_command("map", BROKEN / "missing_required_column", "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert_input_error(result, "leads.csv: column 'Created Date' not found", "the header has 'Lead ID', 'E-mail'")


def test_empty_file(tmp_path):
    result = run_command("map", BROKEN / "empty_file", "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert_input_error(result, "leads.csv: the file is empty")


def test_wrong_delimiter_suggests_the_right_one(tmp_path):
    result = run_command("map", BROKEN / "wrong_delimiter", "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert_input_error(result, "seems to use ';' as delimiter")


def test_latin1_without_declared_encoding(tmp_path):
    result = run_command("map", BROKEN / "latin1", "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert_input_error(result, "line 2: byte 0xe9 is not valid utf-8", "encoding: latin-1")


def test_unclosed_quote_names_the_record_line(tmp_path):
    result = run_command("map", BROKEN / "unclosed_quote", "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert_input_error(result, "the record starting on line 2 cannot be parsed")


def test_missing_exports_folder(tmp_path):
    result = run_command("map", tmp_path / "nowhere", "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert_input_error(result, "exports folder not found")


def test_missing_mapping_file(tmp_path):
    result = run_command("map", BROKEN / "header_only", "--mapping", tmp_path / "none.yml", "--output-dir", tmp_path)
    assert_input_error(result, "mapping file not found")


@pytest.mark.parametrize("folder", ["header_only", "extra_columns", "bom_crlf", "quoted_newlines"])
def test_readable_shapes_map_without_error(tmp_path, folder):
    result = run_command("map", BROKEN / folder, "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "contract" / "leads.parquet").exists()


def test_extra_columns_are_listed(tmp_path):
    result = run_command("map", BROKEN / "extra_columns", "--mapping", LEADS_MAPPING, "--output-dir", tmp_path)
    assert "columns not used by the mapping: Favourite Colour, Shoe Size" in result.stdout


# Contract-shaped folders loaded without a mapping.


def test_load_without_mapping_suggests_delimiter(tmp_path):
    result = run_command("load", BROKEN / "contract_semicolon", "--database", tmp_path / "gtm.duckdb",
                         "--output-dir", tmp_path)
    assert_input_error(result, "required column(s) lead_id, created_at missing", "seems to use ';' as delimiter")


def test_load_header_only_without_mapping(tmp_path):
    result = run_command("load", BROKEN / "contract_header_only", "--database", tmp_path / "gtm.duckdb",
                         "--output-dir", tmp_path)
    assert result.exit_code == 0, result.stderr
    with duckdb.connect(str(tmp_path / "gtm.duckdb")) as connection:
        assert connection.execute("select count(*) from raw.leads").fetchone() == (0,)


# Variables and mapping settings are data: anything that could reach SQL is checked first.


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ("gtm_reporting_currency=EUR'; drop table raw.leads; --", "invalid currency code"),
        ("gtm_reporting_timezone=Mars/Olympus", "unknown time zone"),
        ("gtm_reporting_timezone=UTC' or '1'='1", "invalid time zone"),
        ("gtm_as_of_date=2024-01-01'); --", "invalid date"),
        ("funnel_mql_min_lead_score=0; drop table raw.leads", "characters that are not allowed"),
        ("Bad-Name=1", "expected NAME=VALUE"),
        ("gtm_input_source=oracle", "expected one of contract, salesforce, hubspot"),
    ],
)
def test_unsafe_variable_is_rejected(tmp_path, variable, message):
    result = run_command(
        "run", BROKEN / "header_only", "--mapping", LEADS_MAPPING, "--var", variable,
        "--database", tmp_path / "gtm.duckdb", "--output-dir", tmp_path, "--target-path", tmp_path / "target",
    )
    assert_input_error(result, message)
    assert not (tmp_path / "gtm.duckdb").exists()


# Row-level problems: one end-to-end run over messy/ through crm_mapping.yml.


@dataclass
class MessyRun:
    result: CommandResult
    database: Path
    output_dir: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database)) as connection:
            return connection.execute(sql).fetchall()

    def quarantine(self) -> list[dict]:
        with (self.output_dir / "quarantine.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def summary(self) -> dict[str, dict]:
        with (self.output_dir / "load_summary.csv").open(encoding="utf-8", newline="") as handle:
            return {row["source_file"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def messy_run(tmp_path_factory) -> MessyRun:
    # Quotes, a semicolon and a non-ASCII letter in every output path.
    root = tmp_path_factory.mktemp("messy") / "out 'q'; ü"
    root.mkdir()
    result = run_command(
        "run", BROKEN / "messy", "--mapping", BROKEN / "crm_mapping.yml",
        "--database", root / "gtm.duckdb", "--output-dir", root, "--target-path", root / "target",
    )
    return MessyRun(result=result, database=root / "gtm.duckdb", output_dir=root)


def problems_of(run: MessyRun, source_file: str, record_id: str) -> list[dict]:
    return [row for row in run.quarantine() if row["source_file"] == source_file and row["record_id"] == record_id]


def test_messy_run_gives_no_traceback(messy_run):
    assert "Traceback" not in messy_run.result.stderr
    assert messy_run.result.exit_code in (0, 1), messy_run.result.stderr[-3000:]
    assert "rows per export file and contract table" in messy_run.result.stdout


def test_messy_rows_reconcile_per_file(messy_run):
    summary = messy_run.summary()
    leads, deals = summary["leads.csv"], summary["deals.csv"]
    assert (leads["rows_read"], leads["rows_quarantined_mapping"], leads["rows_loaded"]) == ("16", "5", "11")
    assert (leads["rows_quarantined_staging"], leads["rows_used"]) == ("5", "6")
    assert (deals["rows_read"], deals["rows_quarantined_mapping"], deals["rows_loaded"]) == ("8", "3", "5")
    assert (deals["rows_quarantined_staging"], deals["rows_used"]) == ("2", "3")
    assert "reconciliation failed" not in messy_run.result.stdout


def test_messy_used_rows_match_staging(messy_run):
    assert messy_run.query("select count(*) from main.stg_gtm__leads") == [(6,)]
    assert messy_run.query("select count(*) from main.stg_gtm__opportunities") == [(3,)]


def test_ids_keep_leading_zeros_and_exponent(messy_run):
    ids = {row[0] for row in messy_run.query("select lead_id from main.stg_gtm__leads")}
    assert {"00123", "1.23E+05"} <= ids
    assert messy_run.query("select opportunity_id from main.stg_gtm__opportunities where lead_id = '00123'") == [
        ("D001",)
    ]


def test_names_with_quotes_semicolons_and_accents_are_data(messy_run):
    rows = dict(messy_run.query("select lead_id, company from main.stg_gtm__leads"))
    assert rows["00123"] == "Société Générale"
    assert rows["1.23E+05"] == 'Quote "Inc"; Ltd'
    assert rows["L3"] == "Zürich Labs; AG"
    assert rows["L9"] == "Multi\nLine Corp"
    names = dict(messy_run.query("select lead_id, first_name from main.stg_gtm__leads"))
    assert names["L13"] == "'); drop table raw.leads; --"
    assert messy_run.query("select last_name from main.stg_gtm__leads where lead_id = '1.23E+05'") == [("O'Brien",)]


def test_offset_timestamp_becomes_utc(messy_run):
    assert messy_run.query(
        "select cast(created_at as varchar) from main.stg_gtm__leads where lead_id = '00123'"
    ) == [("2024-06-30 23:30:00",)]


def test_day_first_date_in_export_time_zone(messy_run):
    # 13/07/2024 is midnight in Paris, 22:00 UTC the day before.
    assert messy_run.query(
        "select cast(created_at as varchar) from main.stg_gtm__leads where lead_id = 'L3'"
    ) == [("2024-07-12 22:00:00",)]


def test_blank_and_na_numbers_are_missing(messy_run):
    assert messy_run.query("select lead_score from main.stg_gtm__leads where lead_id = '1.23E+05'") == [(None,)]
    assert messy_run.query("select amount from main.stg_gtm__opportunities where opportunity_id = 'D2'") == [(None,)]


def test_thousands_separator_amount(messy_run):
    assert messy_run.query(
        "select cast(amount as varchar), currency from main.stg_gtm__opportunities where opportunity_id = 'D001'"
    ) == [("1200.5000", "EUR")]


def test_mapped_stage_with_apostrophe(messy_run):
    assert messy_run.query(
        "select stage_name, is_closed, is_won from main.stg_gtm__opportunities where opportunity_id = 'D8'"
    ) == [("Closed Lost", True, False)]


@pytest.mark.parametrize(
    ("source_file", "record_id", "line", "column", "value", "reason"),
    [
        ("leads.csv", "L4", "5", "lead_score", "abc", "invalid number 'abc'"),
        ("leads.csv", "L5", "6", "created_at", "03/04/2024", "ambiguous date '03/04/2024'"),
        ("leads.csv", "L6", "7", "created_at", "2099-01-01", "is after 2024-12-31"),
        ("leads.csv", "L12", "16", "is_deleted", "maybe", "invalid boolean 'maybe'"),
        ("deals.csv", "D3", "4", "stage_name", "Verbal Commit", "unknown value 'Verbal Commit'"),
        ("deals.csv", "D4", "5", "amount", "1,2", "must have three digits"),
        ("deals.csv", "D7", "8", "created_at", "2024-13-01", "invalid date or time '2024-13-01'"),
    ],
)
def test_mapping_quarantine_names_file_line_column_value(messy_run, source_file, record_id, line, column, value, reason):
    problems = [row for row in problems_of(messy_run, source_file, record_id) if row["column"] == column]
    assert len(problems) == 1, problems_of(messy_run, source_file, record_id)
    problem = problems[0]
    assert problem["stage"] == "mapping"
    assert problem["source_line"] == line
    assert problem["value"] == value
    assert reason in problem["reason"]


def test_wrong_field_count_is_quarantined(messy_run):
    rows = [row for row in messy_run.quarantine() if row["source_line"] == "15"]
    assert len(rows) == 1
    assert rows[0]["reason"] == "the record has 10 fields but the header has 9"


@pytest.mark.parametrize(
    ("source_file", "record_id", "line", "column", "value", "reason"),
    [
        ("leads.csv", "L7", "9", "lead_id", "L7", "exact duplicate of an earlier row"),
        ("leads.csv", "L10", "14", "created_at", None, "required value is missing"),
        ("leads.csv", "L14", "18", "lead_score", "150", "out of range"),
        ("deals.csv", "D5", "6", "amount", "-50", "out of range"),
        ("deals.csv", "D6", "7", "currency", "ABC", "unknown currency code 'ABC'"),
    ],
)
def test_staging_quarantine_names_file_line_column_value(
    messy_run, source_file, record_id, line, column, value, reason
):
    problems = [row for row in problems_of(messy_run, source_file, record_id) if row["stage"] == "staging"]
    assert len(problems) == 1, problems_of(messy_run, source_file, record_id)
    problem = problems[0]
    assert problem["source_line"] == line
    assert problem["column"] == column
    assert (problem["value"] or None) == value
    assert reason in problem["reason"]


def test_duplicate_ids_with_different_values_are_all_quarantined(messy_run):
    problems = [row for row in problems_of(messy_run, "leads.csv", "L8") if row["stage"] == "staging"]
    assert [row["source_line"] for row in problems] == ["10", "11"]
    assert messy_run.query("select count(*) from main.stg_gtm__leads where lead_id in ('L7', 'L8')") == [(1,)]


def test_run_lists_outputs(messy_run):
    stdout = messy_run.result.stdout
    assert "quarantine" in stdout
    assert "row reconciliation" in stdout
    assert (messy_run.output_dir / "validation_report.json").exists()
    assert (messy_run.output_dir / "contract" / "leads.parquet").exists()
