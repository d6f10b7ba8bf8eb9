"""The great-expectations suite on the demo build and on broken copies of
it: real pass and fail results, Data Docs written, and an expectation that
errors or a relation that cannot be read counted as a failure."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from gtm_metrics.validation import run_validation


@pytest.fixture(scope="module")
def demo_validation(demo_build, tmp_path_factory):
    assert demo_build.outcome.success, "the demo build failed: " + "; ".join(demo_build.outcome.failures[:5])
    output_dir = tmp_path_factory.mktemp("validation")
    return run_validation(demo_build.database, output_dir), output_dir


@pytest.fixture
def broken_copy(demo_build, tmp_path):
    """A copy of the demo database to damage; the demo build stays intact."""
    # The in-process dbt build may still hold recent writes in the WAL file.
    demo_build.query("checkpoint")
    # The same file name keeps the database name that the staging views use.
    database = tmp_path / "copy" / demo_build.database.name
    database.parent.mkdir()
    shutil.copyfile(demo_build.database, database)
    return database


def _failed(result, batch: str) -> list[str]:
    return [outcome.expectation for outcome in result.outcomes if outcome.batch == batch and not outcome.success]


def test_demo_passes(demo_validation):
    result, _ = demo_validation
    failed = [(outcome.batch, outcome.expectation, outcome.message) for outcome in result.outcomes if not outcome.success]
    assert result.passed, f"failed expectations: {failed}"
    assert result.expectations_failed == 0
    assert result.expectations_errored == 0


def test_demo_runs_every_batch(demo_validation):
    result, _ = demo_validation
    batches = {outcome.batch for outcome in result.outcomes}
    assert batches == {
        "metrics",
        "fct_funnel_cohorts",
        "fct_revenue_retention",
        "fct_lead_lifecycle",
        "fct_opportunities",
        "fct_mrr_account_months",
    }
    assert result.expectations_run >= 40


def test_demo_writes_data_docs(demo_validation):
    result, output_dir = demo_validation
    assert result.data_docs_path == output_dir / "data_docs" / "index.html"
    assert result.data_docs_path.is_file()
    pages = list((output_dir / "data_docs" / "validations").rglob("*.html"))
    assert len(pages) == 6


def test_demo_writes_report(demo_validation):
    result, output_dir = demo_validation
    report = json.loads((output_dir / "validation_report.json").read_text(encoding="utf-8"))
    assert result.report_path == output_dir / "validation_report.json"
    assert report["passed"] is True
    assert report["expectations_run"] == result.expectations_run
    assert len(report["outcomes"]) == result.expectations_run


def test_broken_metrics_fail(broken_copy, tmp_path):
    with duckdb.connect(str(broken_copy)) as connection:
        # A duplicate key, a share above 1, a negative count and a NaN value.
        connection.execute(
            "insert into main.metrics select * from main.metrics where metric_name = 'new_leads' limit 1"
        )
        connection.execute(
            "update main.metrics set value = 1.5 where metric_name = 'win_rate_count' and grain = 'month'"
            " and dimension_name = 'all' and value is not null"
        )
        connection.execute(
            "update main.metrics set value = -1 where metric_name = 'won_deals_count' and grain = 'year'"
        )
        connection.execute(
            "update main.metrics set value = 'NaN'::double where metric_name = 'mrr' and grain = 'year'"
        )
    result = run_validation(broken_copy, tmp_path / "out")
    failed = _failed(result, "metrics")
    assert not result.passed
    assert "expect_compound_columns_to_be_unique" in failed
    assert failed.count("expect_column_values_to_be_between") >= 2
    assert "expect_column_values_to_be_null" in failed
    assert "expect_table_row_count_to_equal" in failed


def test_unbounded_ratio_allowed(demo_build):
    """Net revenue retention above 1 is valid, and the demo has such months."""
    rows = demo_build.query("select count(*) from main.metrics where metric_name = 'net_revenue_retention' and value > 1")
    assert rows[0][0] > 0


def test_broken_funnel_and_mrr_fail(broken_copy, tmp_path):
    with duckdb.connect(str(broken_copy)) as connection:
        # More SQLs than MQLs in a cohort, and an MRR movement lost.
        connection.execute("update main.fct_funnel_cohorts set sqls = mqls + 1 where dimension_name = 'all'")
        connection.execute("update main.fct_revenue_retention set new_mrr = new_mrr + 100 where grain = 'month'")
    result = run_validation(broken_copy, tmp_path / "out")
    assert "expect_column_pair_values_a_to_be_greater_than_b" in _failed(result, "fct_funnel_cohorts")
    assert "expect_column_values_to_be_between" in _failed(result, "fct_revenue_retention")
    assert not result.passed


def test_duplicate_fact_key_fails(broken_copy, tmp_path):
    with duckdb.connect(str(broken_copy)) as connection:
        connection.execute("insert into main.fct_opportunities select * from main.fct_opportunities limit 1")
    result = run_validation(broken_copy, tmp_path / "out")
    assert "expect_column_values_to_be_unique" in _failed(result, "fct_opportunities")


def test_stale_area_fails(broken_copy, tmp_path):
    """An area whose latest month lags the rest of the metrics table fails
    the freshness expectations."""
    with duckdb.connect(str(broken_copy)) as connection:
        latest = connection.execute("select max(period_start) from main.metrics where grain = 'month'").fetchone()[0]
        connection.execute(
            "delete from main.metrics where metric_name = 'mrr' and grain = 'month' and period_start = ?", [latest]
        )
    result = run_validation(broken_copy, tmp_path / "out")
    failed = [
        outcome
        for outcome in result.outcomes
        if not outcome.success and outcome.expectation == "expect_column_max_to_be_between"
    ]
    assert len(failed) == 1
    assert "'mrr'" in str(failed[0].arguments["row_condition"])


def test_errored_expectation_fails(broken_copy, tmp_path):
    """An expectation on a column that no longer exists raises inside
    great-expectations; it counts as failed and errored, not as passed."""
    with duckdb.connect(str(broken_copy)) as connection:
        connection.execute("alter table main.fct_lead_lifecycle rename column person_id to lead_person_id")
    result = run_validation(broken_copy, tmp_path / "out")
    outcomes = [outcome for outcome in result.outcomes if outcome.batch == "fct_lead_lifecycle"]
    assert outcomes
    assert all(not outcome.success for outcome in outcomes)
    assert result.expectations_errored >= 1
    assert not result.passed


def test_missing_relation_fails(broken_copy, tmp_path):
    with duckdb.connect(str(broken_copy)) as connection:
        connection.execute("drop table main.fct_funnel_cohorts")
    result = run_validation(broken_copy, tmp_path / "out")
    outcomes = [outcome for outcome in result.outcomes if outcome.batch == "fct_funnel_cohorts"]
    assert outcomes
    assert all(outcome.errored and not outcome.success for outcome in outcomes)
    assert any("fct_funnel_cohorts" in message for message in result.messages)
    assert not result.passed


def test_area_without_input_skipped(broken_copy, tmp_path):
    """A company without subscriptions validates its funnel and pipeline;
    the revenue checks are left out with a message instead of failing."""
    with duckdb.connect(str(broken_copy)) as connection:
        # The row counts of a build whose subscriptions input was empty.
        connection.execute("create table main.row_counts_built as select * from main.stg_gtm__row_counts")
        connection.execute("drop view main.stg_gtm__row_counts")
        connection.execute(
            "create table main.stg_gtm__row_counts as select source_table, rows_read,"
            " case when source_table = 'subscriptions' then 0 else rows_used end as rows_used, rows_quarantined"
            " from main.row_counts_built"
        )
    result = run_validation(broken_copy, tmp_path / "out")
    batches = {outcome.batch for outcome in result.outcomes}
    assert "fct_mrr_account_months" not in batches
    assert "fct_revenue_retention" not in batches
    assert "fct_opportunities" in batches
    assert any("revenue not validated" in message for message in result.messages)
    assert result.passed, [outcome for outcome in result.outcomes if not outcome.success]


def test_missing_database_fails(tmp_path):
    result = run_validation(tmp_path / "absent.duckdb", tmp_path / "out")
    assert not result.passed
    assert result.expectations_failed == 1
    assert (tmp_path / "out" / "validation_report.json").is_file()


def test_empty_metrics_fail(broken_copy, tmp_path):
    """An empty metrics table fails; no expectation passes vacuously into an
    overall pass."""
    with duckdb.connect(str(broken_copy)) as connection:
        connection.execute("delete from main.metrics")
    result = run_validation(broken_copy, tmp_path / "out")
    assert "expect_table_row_count_to_be_between" in _failed(result, "metrics")
    assert not result.passed
