"""The main job: the shipped demo data builds, and every model, data test
and unit test of the dbt project passes on it."""

from __future__ import annotations


def test_demo_build_passes(demo_build):
    outcome = demo_build.outcome
    assert outcome.success, "\n".join(outcome.failures)
    assert outcome.failed == 0
    assert outcome.errored == 0


def test_demo_rows_all_used(demo_build):
    rows = demo_build.query("select source_table, rows_read, rows_used, rows_quarantined from main.stg_gtm__row_counts")
    for table, read, used, quarantined in rows:
        assert read > 0, f"demo data has no {table} rows"
        assert read == used + quarantined, table


def test_demo_has_no_invalid_rows(demo_build):
    # Exact duplicate copies are a deliberate messy shape; nothing else is.
    reasons = demo_build.query(
        "select reason from main.stg_gtm__quarantine where reason not like '%exact duplicate of an earlier row'"
    )
    assert reasons == []


def test_report_command_writes_dashboard(demo_build, tmp_path):
    from gtm_metrics.cli import main

    output = tmp_path / "dashboard.html"
    assert main(["report", "--database", str(demo_build.database), "--output", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "pipeline_velocity" in html


def test_report_command_rejects_unknown_segment(demo_build, tmp_path):
    from gtm_metrics.cli import main

    code = main(["report", "--database", str(demo_build.database), "--output", str(tmp_path / "d.html"),
                 "--segment", "no-such-segment"])
    assert code == 2
