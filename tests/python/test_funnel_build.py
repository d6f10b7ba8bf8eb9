"""The funnel models built end to end from raw input files: field cases of
lead identity and stage dating, read from the published tables, and the
same output whatever order the input rows come in.

Each case has its own campaign, so the campaign dimension of
metrics_funnel isolates it from the other cases of the fixture.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from conftest import Build, build_folder

pytestmark = pytest.mark.slow

SELECT = "gtm_currencies gtm_stage_mapping +metrics_funnel +fct_mqls +fct_funnel_exceptions"
# The as-of date completes the January cohorts. Cautious indirect selection
# leaves out tests that also read models outside the selection.
BUILD_ARGS = ["--vars", "{gtm_as_of_date: '2024-12-31'}", "--indirect-selection", "cautious"]

LEAD_COLUMNS = [
    "lead_id", "email", "first_name", "last_name", "company", "account_id", "source_channel",
    "campaign", "lead_score", "segment", "created_at", "is_deleted", "merged_into_lead_id",
]


def lead_row(lead_id, email, created_at, campaign=None, first_name="Pat", last_name=None,
         merged_into=None, lead_score="80", is_deleted=""):
    return {
        "lead_id": lead_id, "email": email, "first_name": first_name, "last_name": last_name or lead_id,
        "company": "Example Co", "account_id": "", "source_channel": "organic", "campaign": campaign or "",
        "lead_score": lead_score, "segment": "smb", "created_at": created_at, "is_deleted": is_deleted,
        "merged_into_lead_id": merged_into or "",
    }


LEADS = [
    # Empty and whitespace-only emails are missing and never match each other.
    lead_row("L1", "", "2024-03-05 09:00:00", "r17"),
    lead_row("L2", None, "2024-03-05 09:00:00", "r17"),
    lead_row("L3", " ", "2024-03-05 09:00:00", "r17"),
    lead_row("L4", "c@example.test", "2024-03-05 09:00:00", "r17"),
    # K2 was merged into K1 and keeps the same email.
    lead_row("K1", "a@example.test", "2024-03-06 09:00:00", "r14"),
    lead_row("K2", "a@example.test", "2024-03-07 09:00:00", "r14", merged_into="K1"),
    # K4 and K5 share an email without a merge.
    lead_row("K4", "b@example.test", "2024-03-06 09:00:00", "r16"),
    lead_row("K5", "b@example.test", "2024-03-07 09:00:00", "r16"),
    # Converting L7 wrote contact K6 and a ghost K7 with a first name only.
    lead_row("L7", "d@example.test", "2024-02-01 09:00:00", "r19", first_name="Dee", last_name="Zed"),
    lead_row("K6", "d@example.test", "2024-02-03 10:00:00.1", first_name="Dee", last_name="Zed"),
    {**lead_row("K7", None, "2024-02-03 10:00:00.3", first_name="Dee"), "last_name": "", "company": "",
     "source_channel": "", "lead_score": "", "segment": ""},
    # K8 skips MQL on its way to SQL. K9 is an MQL without SQL.
    lead_row("K8", "k8@example.test", "2024-01-05 09:00:00", "r20"),
    lead_row("K9", "k9@example.test", "2024-01-06 09:00:00", "r20"),
    # L8 was created in January and converted in February.
    lead_row("L8", "l8@example.test", "2024-01-30 09:00:00", "r21"),
    # L9 converted at 23:30 UTC on the last day of January.
    lead_row("L9", "l9@example.test", "2024-01-31 08:00:00", "eom"),
]

ACTIVITIES = [
    {"activity_id": "E1", "lead_id": "K2", "activity_type": "email_click", "occurred_at": "2024-03-08 09:00:00"},
    {"activity_id": "E2", "lead_id": "K5", "activity_type": "demo_request", "occurred_at": "2024-03-08 09:00:00"},
    {"activity_id": "E3", "lead_id": "K9", "activity_type": "pricing_request", "occurred_at": "2024-01-07 09:00:00"},
]

QUALIFICATIONS = [
    {"qualification_id": f"Q{index}", "lead_id": "K8", "criterion": criterion, "is_confirmed": "true",
     "confirmed_by": "ae_001", "recorded_at": recorded_at}
    for index, (criterion, recorded_at) in enumerate([
        ("authority", "2024-01-08 09:00:00"),
        ("need", "2024-01-07 09:00:00"),
        ("timeline", "2024-01-09 09:00:00"),
        ("budget", "2024-01-08 12:00:00"),
    ])
]


def opportunity_row(opportunity_id, lead_id, created_at):
    return {
        "opportunity_id": opportunity_id, "account_id": "", "lead_id": lead_id, "owner_id": "ae_001",
        "pipeline_id": "", "stage_name": "Discovery", "amount": "1000", "currency": "USD", "probability": "",
        "created_at": created_at, "close_date": "2024-06-30", "is_closed": "false", "is_won": "false",
        "loss_reason": "", "is_deleted": "", "merged_into_opportunity_id": "",
    }


OPPORTUNITIES = [
    opportunity_row("O7", "L7", "2024-02-03 10:00:00"),
    opportunity_row("O8", "L8", "2024-02-03 09:00:00"),
    opportunity_row("O9", "L9", "2024-01-31 23:30:00"),
]

TABLES = {
    "leads": (LEAD_COLUMNS, LEADS),
    "lead_activities": (["activity_id", "lead_id", "activity_type", "occurred_at"], ACTIVITIES),
    "lead_qualifications": (
        ["qualification_id", "lead_id", "criterion", "is_confirmed", "confirmed_by", "recorded_at"],
        QUALIFICATIONS,
    ),
    "opportunities": (list(OPPORTUNITIES[0]), OPPORTUNITIES),
}


def write_input(folder: Path, order_seed: int | None = None) -> Path:
    """Write the fixture tables as CSV files, each table's rows shuffled when `order_seed` is given."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, (columns, rows) in TABLES.items():
        rows = list(rows)
        if order_seed is not None:
            random.Random(order_seed).shuffle(rows)
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.fixture(scope="module")
def funnel_build(tmp_path_factory) -> Build:
    workdir = tmp_path_factory.mktemp("funnel")
    build = build_folder(write_input(workdir / "input"), workdir, select=SELECT, extra_args=BUILD_ARGS)
    assert build.outcome.success, "\n".join(build.outcome.failures)
    return build


def metric(build: Build, name: str, campaign: str, period_start: str, version: int = 1) -> float | None:
    rows = build.query(
        "select value from metrics_funnel where metric_name = ? and metric_version = ? and grain = 'month' "
        "and dimension_name = 'campaign' and dimension_value = ? and period_start = cast(? as date)",
        [name, version, campaign, period_start],
    )
    assert len(rows) == 1, f"{name} v{version} {campaign} {period_start}: {len(rows)} rows"
    return rows[0][0]


def test_funnel_build_passes(funnel_build):
    assert funnel_build.outcome.failed == 0
    assert funnel_build.outcome.errored == 0


def test_missing_emails_stay_separate_leads(funnel_build):
    assert metric(funnel_build, "new_leads", "r17", "2024-03-01") == 4
    assert metric(funnel_build, "new_leads_without_email", "r17", "2024-03-01") == 3


def test_merged_contact_counts_event_once(funnel_build):
    assert metric(funnel_build, "new_leads", "r14", "2024-03-01") == 1
    rows = funnel_build.query("select activity_count from fct_lead_lifecycle where campaign = 'r14'")
    assert rows == [(1,)]


def test_shared_email_counts_event_once(funnel_build):
    assert metric(funnel_build, "new_leads", "r16", "2024-03-01") == 1
    assert metric(funnel_build, "new_mqls", "r16", "2024-03-01", version=1) == 1
    rows = funnel_build.query("select person_id, activity_count from fct_lead_lifecycle where campaign = 'r16'")
    assert rows == [("K4", 1)]
    activities = funnel_build.query("select count(*), count(distinct activity_id) from int_lead_activities_resolved")
    assert activities == [(3, 3)]


def test_conversion_copy_is_not_a_new_lead(funnel_build):
    assert metric(funnel_build, "new_leads", "r19", "2024-02-01") == 1
    assert metric(funnel_build, "leads_converted", "r19", "2024-02-01") == 1
    people = funnel_build.query(
        "select count(distinct person_id) from int_lead_records_resolved where lead_id in ('L7', 'K6', 'K7')"
    )
    assert people == [(1,)]
    exceptions = funnel_build.query(
        "select record_id from fct_funnel_exceptions where exception_type = 'probable conversion duplicate'"
    )
    assert exceptions == [("K7",)]


def test_skipped_mql_is_implied(funnel_build):
    assert metric(funnel_build, "new_mqls", "r20", "2024-01-01", version=2) == 2
    assert metric(funnel_build, "new_mqls_raw", "r20", "2024-01-01", version=2) == 1
    assert metric(funnel_build, "new_sqls", "r20", "2024-01-01") == 1
    assert metric(funnel_build, "cohort_mql_to_sql_rate", "r20", "2024-01-01", version=2) == 0.5


def test_converted_in_period_differs_from_cohort(funnel_build):
    assert metric(funnel_build, "leads_converted", "r21", "2024-01-01") == 0
    assert metric(funnel_build, "leads_converted", "r21", "2024-02-01") == 1
    assert metric(funnel_build, "cohort_conversion_rate", "r21", "2024-01-01") == 1.0


def test_conversion_on_last_day_of_month(funnel_build):
    assert metric(funnel_build, "leads_converted", "eom", "2024-01-01") == 1
    assert metric(funnel_build, "leads_converted", "eom", "2024-02-01") == 0


def test_opportunity_without_qualification_is_exception(funnel_build):
    rows = funnel_build.query(
        "select record_id from fct_funnel_exceptions "
        "where exception_type = 'opportunity without qualification' order by record_id"
    )
    assert rows == [("O7",), ("O8",), ("O9",)]
    implied = funnel_build.query("select count(*) from fct_lead_lifecycle where is_sql and is_sql_implied")
    assert implied == [(3,)]


def test_row_order_does_not_change_output(funnel_build, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("funnel_shuffled")
    shuffled = build_folder(write_input(workdir / "input", order_seed=7), workdir, select=SELECT, extra_args=BUILD_ARGS)
    assert shuffled.outcome.success, "\n".join(shuffled.outcome.failures)
    for table, key in [
        ("int_lead_records_resolved", "lead_id"),
        ("fct_lead_lifecycle", "person_id"),
        ("metrics_funnel", "metric_name, metric_version, grain, period_start, dimension_name, dimension_value"),
    ]:
        query = f"select * from {table} order by {key}"
        assert shuffled.query(query) == funnel_build.query(query), table
