"""Conformance on Olist's marketing funnel: the project's metrics table
against an independent pandas computation over the raw export files.

The rules applied on both sides are the mapping's (mappings/
olist_marketing_funnel.yml) and the metric definitions' docs blocks:
- an MQL's channel is its origin; "" and "unknown" are (unknown);
- dates are Brazil local dates, the reporting time zone;
- a deal counts as won on its won date, or on its lead's first contact date
  when the win is earlier (the funnel's stage-order rule);
- the sales cycle runs from first contact to the won date and is left out
  when negative.
"""

from __future__ import annotations

import pandas as pd
import pytest

from support_realinput import build_dataset, compare, month_of

pytestmark = pytest.mark.slow

WINDOW_DAYS = 90  # var funnel_conversion_window_days


@pytest.fixture(scope="module")
def olist(tmp_path_factory):
    return build_dataset("olist_marketing_funnel", tmp_path_factory.mktemp("olist"))


@pytest.fixture(scope="module")
def raw(olist):
    mqls = pd.read_csv(olist.folder / "olist_marketing_qualified_leads_dataset.csv", dtype=str, keep_default_na=False)
    deals = pd.read_csv(olist.folder / "olist_closed_deals_dataset.csv", dtype=str, keep_default_na=False)
    mqls["channel"] = mqls["origin"].where(~mqls["origin"].isin(["", "unknown"]), "(unknown)")
    mqls["month"] = month_of(mqls["first_contact_date"])
    won = deals.merge(mqls, on="mql_id", how="inner", validate="one_to_one")
    won["won_local_date"] = won["won_date"].str.slice(0, 10)
    won["funnel_won_date"] = won[["won_local_date", "first_contact_date"]].max(axis=1)
    won["funnel_won_month"] = month_of(won["funnel_won_date"])
    won["close_month"] = month_of(won["won_local_date"])
    won["cycle_days"] = (pd.to_datetime(won["won_local_date"]) - pd.to_datetime(won["first_contact_date"])).dt.days
    return mqls, won


def counts(frame: pd.DataFrame, period: str, dimension: str | None = None) -> dict:
    if dimension is None:
        return {(month, "all"): float(count) for month, count in frame.groupby(period).size().items()}
    return {key: float(count) for key, count in frame.groupby([period, dimension]).size().items()}


def test_build_passes(olist):
    assert olist.outcome.success, olist.outcome.failures


def test_every_row_is_used(olist):
    assert [(summary.table, summary.rows_read, summary.rows_loaded) for summary in olist.summaries] == [
        ("leads", 8000, 8000),
        ("lead_activities", 8000, 8000),
        ("accounts", 842, 842),
        ("opportunities", 842, 842),
    ]
    assert olist.query("select count(*) from main.stg_gtm__quarantine") == [(0,)]


def test_id_in_scientific_notation_is_kept(olist):
    assert olist.query(
        "select count(*) from main.stg_gtm__leads where lead_id = '401013266745e5661589292315434968'"
    ) == [(1,)]


def test_new_leads_by_month(olist, raw):
    mqls, _ = raw
    assert compare(counts(mqls, "month"), olist.metric("new_leads")) == []


def test_new_leads_by_origin_and_month(olist, raw):
    mqls, _ = raw
    assert compare(counts(mqls, "month", "channel"), olist.metric("new_leads", dimension="channel")) == []


def test_missing_origins_are_one_unknown_channel(olist, raw):
    mqls, _ = raw
    unknown = olist.metric("new_leads", grain="year", dimension="channel")
    total = sum(value for (period, channel), value in unknown.items() if channel == "(unknown)")
    assert total == 60 + 1099
    assert (mqls["channel"] == "(unknown)").sum() == 60 + 1099


def test_new_mqls_version_1_by_month(olist, raw):
    mqls, _ = raw
    assert compare(counts(mqls, "month"), olist.metric("new_mqls", version=1)) == []


def test_won_deals_by_month(olist, raw):
    _, won = raw
    assert compare(counts(won, "funnel_won_month"), olist.metric("leads_won")) == []


def test_won_deals_by_origin_and_month(olist, raw):
    _, won = raw
    assert compare(counts(won, "funnel_won_month", "channel"), olist.metric("leads_won", dimension="channel")) == []


def test_mql_to_won_conversion_by_cohort(olist, raw):
    mqls, won = raw
    in_window = won[
        (pd.to_datetime(won["funnel_won_date"]) - pd.to_datetime(won["first_contact_date"])).dt.days <= WINDOW_DAYS
    ]
    cohort_sizes = mqls.groupby("month").size()
    wins = in_window.groupby("month").size().reindex(cohort_sizes.index, fill_value=0)
    expected = {(month, "all"): float(wins[month] / cohort_sizes[month]) for month in cohort_sizes.index}
    assert compare(expected, olist.metric("cohort_won_rate"), zero_elsewhere=False) == []


def test_overall_mql_to_won_conversion(olist, raw):
    mqls, won = raw
    total_won = sum(olist.metric("leads_won", grain="year").values())
    assert total_won == len(won) == 842
    assert round(total_won / len(mqls), 4) == 0.1052


def test_pipeline_won_deals_by_close_month(olist, raw):
    _, won = raw
    assert compare(counts(won, "close_month"), olist.metric("won_deals_count")) == []


def test_sales_cycle_by_close_month(olist, raw):
    _, won = raw
    cycles = won[won["cycle_days"] >= 0]
    median = {(month, "all"): float(value) for month, value in cycles.groupby("close_month")["cycle_days"].median().items()}
    mean = {(month, "all"): float(value) for month, value in cycles.groupby("close_month")["cycle_days"].mean().items()}
    assert compare(median, olist.metric("sales_cycle_days_median"), zero_elsewhere=False) == []
    assert compare(mean, olist.metric("sales_cycle_days_avg"), zero_elsewhere=False) == []


def test_win_before_first_contact_has_no_cycle(olist, raw):
    _, won = raw
    early = won[won["cycle_days"] < 0]
    assert len(early) == 1
    deal_id = early["mql_id"].iloc[0]
    assert olist.query(
        "select sales_cycle_days from main.fct_opportunities where opportunity_id = ?", [deal_id]
    ) == [(None,)]
