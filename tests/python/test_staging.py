"""Staging parses the raw contract tables under explicit rules and
quarantines every unusable row with its reason."""

from __future__ import annotations


def quarantine_reasons(build, table: str) -> dict[int, str]:
    rows = build.query(
        "select source_row, reason from main.stg_gtm__quarantine where source_table = ? order by source_row",
        [table],
    )
    return dict(rows)


def test_tiny_staging_build_succeeds(tiny_build):
    assert tiny_build.outcome.success, tiny_build.outcome.failures


def test_rows_read_equal_used_plus_quarantined(tiny_build):
    rows = tiny_build.query(
        "select source_table, rows_read, rows_used, rows_quarantined from main.stg_gtm__row_counts"
    )
    counts = {table: (read, used, quarantined) for table, read, used, quarantined in rows}
    assert counts["leads"] == (9, 3, 6)
    assert counts["opportunities"] == (3, 1, 2)
    for table, (read, used, quarantined) in counts.items():
        assert read == used + quarantined, table


def test_invalid_decimal_is_quarantined_with_value(tiny_build):
    reasons = quarantine_reasons(tiny_build, "leads")
    assert reasons[3] == "lead_score: invalid decimal 'abc' (expected a plain decimal number such as 0.25)"


def test_out_of_range_and_bad_timestamp_both_reported(tiny_build):
    reason = quarantine_reasons(tiny_build, "leads")[4]
    assert "lead_score: value '101' is out of range (expected between 0 and 100)" in reason
    assert "created_at: invalid timestamp '2024-13-03'" in reason


def test_missing_required_value_is_quarantined(tiny_build):
    assert quarantine_reasons(tiny_build, "leads")[5] == "created_at: required value is missing"


def test_exact_duplicate_keeps_one_row(tiny_build):
    reasons = quarantine_reasons(tiny_build, "leads")
    assert reasons[7] == "lead_id: exact duplicate of an earlier row"
    assert tiny_build.query("select count(*) from main.stg_gtm__leads where lead_id = 'L6'") == [(1,)]


def test_conflicting_duplicates_are_all_quarantined(tiny_build):
    reasons = quarantine_reasons(tiny_build, "leads")
    assert reasons[8].startswith("lead_id: duplicate key with different values")
    assert reasons[9].startswith("lead_id: duplicate key with different values")
    assert tiny_build.query("select count(*) from main.stg_gtm__leads where lead_id = 'L7'") == [(0,)]


def test_thousands_separator_and_unknown_currency_rejected(tiny_build):
    reason = quarantine_reasons(tiny_build, "opportunities")[2]
    assert "amount: invalid money '1,200.50'" in reason
    assert "currency: unknown currency code 'XXX'" in reason


def test_offset_timestamp_converted_to_utc(tiny_build):
    # '2024-07-01T01:30:00+02:00' is 2024-06-30 23:30 UTC: a June lead in UTC.
    rows = tiny_build.query("select cast(created_at as varchar) from main.stg_gtm__leads where lead_id = '00123'")
    assert rows == [("2024-06-30 23:30:00",)]


def test_leading_zero_ids_stay_text(tiny_build):
    rows = tiny_build.query("select lead_id from main.stg_gtm__leads where lead_id like '0%'")
    assert rows == [("00123",)]


def test_quotes_semicolons_and_non_ascii_are_data(tiny_build):
    companies = {row[0] for row in tiny_build.query("select company from main.stg_gtm__leads")}
    assert 'Quote "Inc"; Ltd' in companies
    assert tiny_build.query("select company from main.stg_gtm__leads_checked where lead_id = 'L3'") == [
        ("Zürich Labs AG",)
    ]


def test_blank_email_becomes_null(tiny_build):
    assert tiny_build.query("select email from main.stg_gtm__leads where lead_id = 'L2'") == [(None,)]


def test_currency_code_upper_cased(tiny_build):
    assert tiny_build.query("select currency from main.stg_gtm__opportunities") == [("USD",)]


def test_overflowing_numbers_and_impossible_dates_rejected(tiny_build):
    reason = quarantine_reasons(tiny_build, "opportunities")[3]
    assert "amount: invalid money '99999999999999999999999999999999999'" in reason
    assert "probability: invalid decimal '12345678901234'" in reason
    assert "created_at: invalid timestamp '2023-02-29T10:00:00+01:00'" in reason
