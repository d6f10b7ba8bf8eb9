"""Bad feedback-loop input on top of the demo data: each bad row is reported
with its value in fct_feedback_exceptions, every raw verdict is accounted
for, and no feedback metric changes."""

from __future__ import annotations

import csv
import shutil

import pytest

from gtm_metrics.contract import project_dir

from conftest import build_folder

pytestmark = pytest.mark.slow

BAD_FEEDBACK = [
    # A verdict for a lead no input row has.
    {"feedback_id": "FBAD1", "lead_id": "L_NOT_A_LEAD", "verdict": "accepted", "recorded_at": "2024-06-01T10:00:00Z"},
    # A verdict recorded years before its lead was created.
    {"feedback_id": "FBAD2", "lead_id": "{first_lead}", "verdict": "rejected", "reason": "no_budget",
     "recorded_at": "2000-01-01T00:00:00Z"},
    # A verdict outside the contract's values: staging quarantines the row.
    {"feedback_id": "FBAD3", "lead_id": "{first_lead}", "verdict": "maybe", "recorded_at": "2024-06-01T10:00:00Z"},
    # A verdict for the lead whose score is out of range below.
    {"feedback_id": "FBAD4", "lead_id": "L_BAD_SCORE", "verdict": "accepted", "recorded_at": "2024-06-01T10:00:00Z"},
]
BAD_LEAD = {"lead_id": "L_BAD_SCORE", "lead_score": "150", "created_at": "2024-05-01T10:00:00Z", "segment": "smb"}


def append_rows(path, rows):
    """Append rows to a CSV file in its own line ending."""
    text = path.read_text(encoding="utf-8")
    line_ending = "\r\n" if "\r\n" in text else "\n"
    header = next(csv.reader([text.splitlines()[0]]))
    with path.open("a", encoding="utf-8", newline="") as handle:
        if not text.endswith(line_ending):
            handle.write(line_ending)
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator=line_ending)
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in header})


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_feedback_input")
    for path in (project_dir() / "demo_data").iterdir():
        shutil.copy(path, folder / path.name)
    with (folder / "leads.csv").open(encoding="utf-8", newline="") as handle:
        first_lead = next(csv.DictReader(handle))["lead_id"]
    feedback = [{key: value.replace("{first_lead}", first_lead) for key, value in row.items()} for row in BAD_FEEDBACK]
    append_rows(folder / "lead_feedback.csv", feedback)
    append_rows(folder / "leads.csv", [BAD_LEAD])
    build = build_folder(
        folder, tmp_path_factory.mktemp("bad_feedback_build"),
        select="+path:models/marts/feedback path:tests/dbt/feedback",
    )
    build.first_lead = first_lead
    return build


def exceptions_by_record(build) -> dict[str, tuple]:
    rows = build.query(
        "select record_id, exception_type, value, detail, source_row from fct_feedback_exceptions"
    )
    return {row[0]: row[1:] for row in rows}


def test_feedback_tests_pass_on_bad_input(bad_build):
    failures = [failure for failure in bad_build.outcome.failures if "feedback" in failure]
    assert failures == []


def test_unknown_lead_reported(bad_build):
    exception_type, value, detail, _ = exceptions_by_record(bad_build)["FBAD1"]
    assert exception_type == "verdict for unknown lead"
    assert value == "L_NOT_A_LEAD"
    assert detail == "no lead record has this lead_id"


def test_verdict_before_lead_reported(bad_build):
    exception_type, value, detail, _ = exceptions_by_record(bad_build)["FBAD2"]
    assert exception_type == "verdict before lead created"
    assert value.startswith("2000-01-01 00:00:00")
    assert detail.startswith("recorded_at is before the lead was created at ")


def test_quarantined_feedback_row_reported(bad_build):
    exception_type, value, detail, source_row = exceptions_by_record(bad_build)["FBAD3"]
    assert exception_type == "feedback row quarantined"
    assert value is None
    assert "maybe" in detail
    assert source_row is not None


def test_out_of_range_score_reported(bad_build):
    exception_type, value, detail, source_row = exceptions_by_record(bad_build)["L_BAD_SCORE"]
    assert exception_type == "lead score out of range"
    assert value == "150"
    assert source_row is not None


def test_verdict_for_quarantined_lead_says_why(bad_build):
    exception_type, value, detail, _ = exceptions_by_record(bad_build)["FBAD4"]
    assert exception_type == "verdict for unknown lead"
    assert value == "L_BAD_SCORE"
    assert detail.startswith("the lead row is quarantined: lead_score: value '150' is out of range")


def test_every_raw_verdict_accounted_for(bad_build):
    raw = bad_build.query("select count(*) from raw.lead_feedback")[0][0]
    classified = bad_build.query("select count(*) from fct_lead_feedback")[0][0]
    quarantined = bad_build.query(
        "select count(*) from fct_feedback_exceptions where exception_type = 'feedback row quarantined'"
    )[0][0]
    assert quarantined >= 1
    assert classified + quarantined == raw


def test_bad_rows_change_no_metric(bad_build, demo_build):
    sql = (
        "select * from metrics_feedback "
        "order by metric_name, grain, period_start, dimension_name, dimension_value"
    )
    assert bad_build.query(sql) == demo_build.query(sql)
