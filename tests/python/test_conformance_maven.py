"""Conformance on Maven's CRM sales opportunities: the project's metrics
table against an independent pandas computation over sales_pipeline.csv.

The rules applied on both sides are the mapping's (mappings/
maven_crm_sales_opportunities.yml) and the pipeline docs blocks:
- an opportunity is created on its engage date; a Prospecting deal, which
  has none, on the snapshot date 2017-12-31, which is the as-of date;
- Won and Lost deals close on close_date; lost deals have no amount
  (close_value 0 means none was recorded);
- Engaging deals are qualified open pipeline;
- without stage history a deal stays in its current stage from its created
  date, so a deal open now was open at every month end since it was created;
- pipeline velocity = qualified open deals x win rate x average won deal
  size / average sales cycle, the last three over deals closed in the 180
  days ending on the period's last date. No account has a segment, so there
  is one segment.
"""

from __future__ import annotations

import pandas as pd
import pytest

from support_realinput import build_dataset, compare, month_of

pytestmark = pytest.mark.slow

AS_OF = "2017-12-31"
VELOCITY_WINDOW_DAYS = 180  # var gtm_pipeline_velocity_window_days


@pytest.fixture(scope="module")
def maven(tmp_path_factory):
    return build_dataset("maven_crm_sales_opportunities", tmp_path_factory.mktemp("maven"))


@pytest.fixture(scope="module")
def deals(maven) -> pd.DataFrame:
    frame = pd.read_csv(maven.folder / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    frame["created_date"] = pd.to_datetime(frame["engage_date"].replace("", AS_OF))
    frame["close"] = pd.to_datetime(frame["close_date"].replace("", None))
    frame["close_month"] = month_of(frame["close_date"])
    frame["value"] = pd.to_numeric(frame["close_value"].replace("", None))
    frame["is_won"] = frame["deal_stage"] == "Won"
    frame["is_lost"] = frame["deal_stage"] == "Lost"
    frame["cycle_days"] = (frame["close"] - frame["created_date"]).dt.days
    return frame


def by_close_month(frame: pd.DataFrame, function) -> dict:
    closed = frame[frame["close_date"] != ""]
    return {(month, "all"): float(function(group)) for month, group in closed.groupby("close_month")}


def month_ends() -> list[pd.Timestamp]:
    return list(pd.date_range("2016-10-31", AS_OF, freq="ME"))


def test_build_passes(maven):
    assert maven.outcome.success, maven.outcome.failures


def test_every_deal_is_used(maven, deals):
    assert maven.query("select count(*) from main.stg_gtm__opportunities") == [(len(deals),)]
    assert maven.query("select count(*) from main.stg_gtm__quarantine") == [(0,)]


def test_won_deals_by_month(maven, deals):
    expected = by_close_month(deals[deals["is_won"]], len)
    assert compare(expected, maven.metric("won_deals_count")) == []


def test_lost_deals_by_month(maven, deals):
    expected = by_close_month(deals[deals["is_lost"]], len)
    assert compare(expected, maven.metric("lost_deals_count")) == []


def test_win_rate_by_month(maven, deals):
    closed = deals[deals["is_won"] | deals["is_lost"]]
    expected = by_close_month(closed, lambda group: group["is_won"].mean())
    assert compare(expected, maven.metric("win_rate_count"), zero_elsewhere=False) == []


def test_overall_win_rate(maven, deals):
    won = sum(maven.metric("won_deals_count", grain="year").values())
    lost = sum(maven.metric("lost_deals_count", grain="year").values())
    assert (won, lost) == (4238, 2473)
    assert won / (won + lost) == pytest.approx(deals["is_won"].sum() / (deals["is_won"] | deals["is_lost"]).sum())


def test_average_won_deal_size_by_month(maven, deals):
    expected = by_close_month(deals[deals["is_won"]], lambda group: group["value"].mean())
    assert compare(expected, maven.metric("avg_won_deal_size"), zero_elsewhere=False) == []


def test_median_won_deal_size_by_month(maven, deals):
    expected = by_close_month(deals[deals["is_won"]], lambda group: group["value"].median())
    assert compare(expected, maven.metric("median_won_deal_size"), zero_elsewhere=False) == []


def test_bookings_include_gtxpro_deals(maven, deals):
    expected = by_close_month(deals[deals["is_won"]], lambda group: group["value"].sum())
    assert compare(expected, maven.metric("bookings_amount")) == []
    gtxpro = deals[deals["is_won"] & (deals["product"] == "GTXPro")]
    assert len(gtxpro) > 0
    assert sum(maven.metric("bookings_amount", grain="year").values()) == pytest.approx(
        deals.loc[deals["is_won"], "value"].sum()
    )


def test_lost_deals_have_no_amount(maven):
    assert maven.query(
        "select count(*), count(amount) from main.fct_opportunities where is_lost"
    ) == [(2473, 0)]


def test_sales_cycle_by_month(maven, deals):
    won = deals[deals["is_won"]]
    mean = by_close_month(won, lambda group: group["cycle_days"].mean())
    median = by_close_month(won, lambda group: group["cycle_days"].median())
    assert compare(mean, maven.metric("sales_cycle_days_avg"), zero_elsewhere=False) == []
    assert compare(median, maven.metric("sales_cycle_days_median"), zero_elsewhere=False) == []


def test_open_pipeline_at_snapshot(maven, deals):
    open_deals = deals[deals["deal_stage"].isin(["Prospecting", "Engaging"])]
    assert maven.metric("open_pipeline_count")[("2017-12-01", "all")] == len(open_deals) == 2089
    assert maven.metric("qualified_open_pipeline_count")[("2017-12-01", "all")] == 1589


def expected_velocity(deals: pd.DataFrame) -> dict:
    values = {}
    for end in month_ends():
        qualified = ((deals["deal_stage"] == "Engaging") & (deals["created_date"] <= end)).sum()
        in_window = deals[
            (deals["is_won"] | deals["is_lost"])
            & (deals["close"] <= end)
            & (deals["close"] > end - pd.Timedelta(days=VELOCITY_WINDOW_DAYS))
        ]
        key = (end.strftime("%Y-%m-01"), "all")
        won = in_window[in_window["is_won"]]
        if in_window.empty:
            continue
        if qualified == 0 or won.empty:
            values[key] = 0.0
            continue
        cycle = won["cycle_days"].mean()
        if cycle == 0:
            continue
        values[key] = float(qualified * len(won) / len(in_window) * won["value"].mean() / cycle)
    return values


def test_pipeline_velocity_by_month(maven, deals):
    expected = expected_velocity(deals)
    assert expected[("2017-12-01", "all")] > 0
    assert compare(expected, maven.metric("pipeline_velocity"), zero_elsewhere=False) == []
