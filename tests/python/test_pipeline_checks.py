"""Pipeline checks on real dbt builds of tiny inputs.

The data tests that guard currency conversion and the stage mapping fail
with messages that name what to fix. An instant written with an offset lands
on the business date of the reporting time zone. Every published metric is
listed, allowed and documented once."""

from __future__ import annotations

import datetime
import re

import pytest
import yaml

from conftest import DATA, PROJECT, build_folder

PIPELINE_DATA = DATA / "pipeline"
PIPELINE_MODELS = "+metrics_pipeline +fct_opportunity_stage_intervals"


def read_dbt_log(build) -> str:
    return (build.target_path / "logs" / "dbt.log").read_text(encoding="utf-8")


def build_pipeline(folder_name: str, workdir, extra_args: list[str] | None = None):
    """Build the pipeline models and their parents on one input folder,
    without unit tests, which do not read the input."""
    return build_folder(
        PIPELINE_DATA / folder_name,
        workdir,
        select=PIPELINE_MODELS,
        extra_args=["--exclude-resource-type", "unit_test", *(extra_args or [])],
    )


@pytest.fixture(scope="module")
def missing_rate_build(tmp_path_factory):
    """A EUR deal closed on 2023-12-15, before the first EUR rate."""
    return build_pipeline("missing_rate", tmp_path_factory.mktemp("pipeline_missing_rate"))


@pytest.fixture(scope="module")
def unmapped_stage_build(tmp_path_factory):
    """A deal whose history and current stage use a stage name missing from
    the stage mapping."""
    return build_pipeline("unmapped_stage", tmp_path_factory.mktemp("pipeline_unmapped_stage"))


@pytest.mark.slow
def test_missing_rate_fails_build(missing_rate_build):
    failed = [failure for failure in missing_rate_build.outcome.failures if "gtm_exchange_rate_exists" in failure]
    assert failed, missing_rate_build.outcome.failures


@pytest.mark.slow
def test_missing_rate_message_names_currency(missing_rate_build):
    log = read_dbt_log(missing_rate_build)
    assert "Missing exchange rate: no rate from EUR to USD valid on 2023-12-15" in log


@pytest.mark.slow
def test_unmapped_stage_fails_build(unmapped_stage_build):
    failed = [failure for failure in unmapped_stage_build.outcome.failures if "gtm_pipeline_stages_mapped" in failure]
    assert failed, unmapped_stage_build.outcome.failures


@pytest.mark.slow
def test_unmapped_stage_message_names_seed(unmapped_stage_build):
    log = read_dbt_log(unmapped_stage_build)
    assert "Unmapped stage: stage name 'Verbal Commit' of pipeline 'new_business'" in log
    assert "seeds/pipeline/gtm_stage_mapping.csv" in log


@pytest.mark.slow
@pytest.mark.parametrize(
    ("time_zone", "expected_date"),
    [("UTC", datetime.date(2024, 6, 30)), ("Europe/Berlin", datetime.date(2024, 7, 1))],
)
def test_offset_instant_business_date(tmp_path_factory, time_zone, expected_date):
    """2024-07-01T01:30:00+02:00 is 2024-06-30 23:30 UTC: June in UTC, July in Berlin."""
    build = build_pipeline(
        "offset",
        tmp_path_factory.mktemp("pipeline_offset"),
        extra_args=["--vars", f"{{gtm_reporting_timezone: {time_zone}}}"],
    )
    assert build.outcome.success, build.outcome.failures
    rows = build.query("select created_at, created_date from main.fct_opportunities where opportunity_id = 'O1'")
    assert rows == [(datetime.datetime(2024, 6, 30, 23, 30), expected_date)]
    intervals = build.query("select entered_date from main.fct_opportunity_stage_intervals where opportunity_id = 'O1'")
    assert intervals == [(expected_date,)]


def metric_names_in_sql() -> set[str]:
    sql = (PROJECT / "models/marts/pipeline/metrics_pipeline.sql").read_text(encoding="utf-8")
    return set(re.findall(r"gtm_pipeline_metric_rows\(\s*'[a-z_]+',\s*'([a-z_]+)'", sql))


def metrics_yaml() -> dict:
    text = (PROJECT / "models/marts/pipeline/metrics_pipeline.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["models"][0]


def test_metric_list_matches_sql():
    listed = {metric["name"] for metric in metrics_yaml()["config"]["meta"]["metrics"]}
    assert listed == metric_names_in_sql()


def test_metric_accepted_values_match_sql():
    column = next(column for column in metrics_yaml()["columns"] if column["name"] == "metric_name")
    accepted = next(test for test in column["data_tests"] if isinstance(test, dict) and "accepted_values" in test)
    assert set(accepted["accepted_values"]["arguments"]["values"]) == metric_names_in_sql()


def test_metric_docs_blocks_exist():
    docs = (PROJECT / "models/marts/pipeline/_pipeline__docs.md").read_text(encoding="utf-8")
    blocks = set(re.findall(r"{%\s*docs\s+([a-z_]+)\s*%}", docs))
    for metric in metrics_yaml()["config"]["meta"]["metrics"]:
        assert metric["docs_block"] in blocks, metric["name"]
