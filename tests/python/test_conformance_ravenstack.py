"""Conformance on RavenStack's SaaS subscriptions: the project's MRR,
movements, logo churn and net revenue retention by month against an
independent pandas computation over ravenstack_subscriptions.csv.

The rules applied on both sides are the mapping's (mappings/ravenstack_saas.yml)
and the revenue docs blocks:
- mrr_amount is a subscription's MRR; trials are never MRR;
- a subscription is in service on date D when start_date <= D < end_date;
  a paid subscription that ends and is followed by another paid one of the
  same account that starts after the end and at most 7 days later
  (var revenue_restart_gap_days) lasts until that start;
- a month's snapshot is its last day; an account is a customer in a month
  when a paid subscription is in service on the snapshot, and its MRR is the
  sum over those subscriptions (overlapping ones add up);
- an account has a row for every month from the first month a subscription
  of it (trials included) is in service on a snapshot;
- a return within 12 months of the churn month (var
  revenue_reactivation_window_months) is a reactivation, a later one is new.
Churn comes from subscriptions only; accounts.churn_flag and the churn
events file are not read.
"""

from __future__ import annotations

import pandas as pd
import pytest

from support_realinput import build_dataset, compare

pytestmark = pytest.mark.slow

AS_OF = pd.Timestamp("2024-12-31")
RESTART_GAP_DAYS = 7
REACTIVATION_WINDOW_MONTHS = 12


@pytest.fixture(scope="module")
def ravenstack(tmp_path_factory):
    return build_dataset("ravenstack_saas", tmp_path_factory.mktemp("ravenstack"))


def load_subscriptions(folder) -> pd.DataFrame:
    frame = pd.read_csv(folder / "ravenstack_subscriptions.csv", dtype=str, keep_default_na=False)
    frame["start"] = pd.to_datetime(frame["start_date"])
    frame["end"] = pd.to_datetime(frame["end_date"].replace("", None))
    frame["mrr"] = pd.to_numeric(frame["mrr_amount"])
    frame["is_trial"] = frame["is_trial"] == "True"
    return frame[frame["start"] <= AS_OF].reset_index(drop=True)


def bridge_restart_gaps(subscriptions: pd.DataFrame) -> pd.Series:
    """Service end of each subscription with the restart gap bridged."""
    paid = subscriptions[~subscriptions["is_trial"]]
    effective_end = subscriptions["end"].copy()
    for index, row in paid[paid["end"].notna()].iterrows():
        restarts = paid[
            (paid["account_id"] == row["account_id"])
            & (paid["subscription_id"] != row["subscription_id"])
            & (paid["start"] > row["end"])
            & (paid["start"] <= row["end"] + pd.Timedelta(days=RESTART_GAP_DAYS))
        ]
        if not restarts.empty:
            effective_end[index] = restarts["start"].min()
    return effective_end


def account_months(subscriptions: pd.DataFrame) -> pd.DataFrame:
    """One row per account and month with its MRR and customer flag."""
    subscriptions = subscriptions.assign(service_end=bridge_restart_gaps(subscriptions))
    months = pd.date_range("2023-01-31", AS_OF, freq="ME")
    rows = []
    for snapshot in months:
        in_service = subscriptions[
            (subscriptions["start"] <= snapshot)
            & (subscriptions["service_end"].isna() | (snapshot < subscriptions["service_end"]))
        ]
        for account_id, group in in_service.groupby("account_id"):
            paid = group[~group["is_trial"]]
            rows.append(
                {
                    "account_id": account_id,
                    "month": snapshot.to_period("M"),
                    "mrr": float(paid["mrr"].sum()),
                    "is_customer": not paid.empty,
                }
            )
    present = pd.DataFrame(rows)
    first_month = present.groupby("account_id")["month"].min()
    spine = pd.DataFrame(
        [
            {"account_id": account_id, "month": month}
            for account_id, first in first_month.items()
            for month in pd.period_range(first, AS_OF.to_period("M"), freq="M")
        ]
    )
    frame = spine.merge(present, on=["account_id", "month"], how="left")
    frame["mrr"] = frame["mrr"].fillna(0.0)
    frame["is_customer"] = frame["is_customer"].fillna(False).astype(bool)
    return frame.sort_values(["account_id", "month"]).reset_index(drop=True)


def classify(frame: pd.DataFrame) -> pd.DataFrame:
    """Add start state and the movement of every account month."""
    frame = frame.copy()
    grouped = frame.groupby("account_id")
    frame["start_mrr"] = grouped["mrr"].shift(1).fillna(0.0)
    frame["was_customer"] = grouped["is_customer"].shift(1).fillna(False).astype(bool)
    movements = []
    last_customer_month = {}
    for row in frame.itertuples():
        previous = last_customer_month.get(row.account_id)
        if not row.was_customer and row.is_customer:
            months_since_churn = None if previous is None else (row.month - previous).n - 1
            if months_since_churn is not None and months_since_churn <= REACTIVATION_WINDOW_MONTHS:
                movements.append("reactivation")
            else:
                movements.append("new")
        elif row.was_customer and not row.is_customer:
            movements.append("churn")
        elif row.was_customer and row.mrr > row.start_mrr:
            movements.append("expansion")
        elif row.was_customer and row.mrr < row.start_mrr:
            movements.append("contraction")
        elif row.was_customer:
            movements.append("unchanged")
        else:
            movements.append("inactive")
        if row.is_customer:
            last_customer_month[row.account_id] = row.month
    frame["movement"] = movements
    return frame


@pytest.fixture(scope="module")
def months(ravenstack) -> pd.DataFrame:
    return classify(account_months(load_subscriptions(ravenstack.folder)))


def monthly(frame: pd.DataFrame, function) -> dict:
    return {
        (month.start_time.strftime("%Y-%m-%d"), "all"): float(function(group))
        for month, group in frame.groupby("month")
    }


def test_build_passes(ravenstack):
    assert ravenstack.outcome.success, ravenstack.outcome.failures


def test_every_row_is_used(ravenstack):
    assert ravenstack.query(
        "select source_table, rows_read, rows_used from main.stg_gtm__row_counts "
        "where source_table in ('accounts', 'subscriptions', 'product_usage') order by source_table"
    ) == [("accounts", 500, 500), ("product_usage", 25000, 25000), ("subscriptions", 5000, 5000)]


def test_repeated_usage_ids_are_all_kept(ravenstack):
    assert ravenstack.query("select count(*) from main.stg_gtm__product_usage") == [(25000,)]


def test_mrr_by_month(ravenstack, months):
    expected = monthly(months, lambda group: group.loc[group["is_customer"], "mrr"].sum())
    assert compare(expected, ravenstack.metric("mrr"), tolerance=1e-9) == []


def test_customers_by_month(ravenstack, months):
    expected = monthly(months, lambda group: group["is_customer"].sum())
    assert compare(expected, ravenstack.metric("customers")) == []


@pytest.mark.parametrize(
    ("metric", "movement", "amount"),
    [
        ("new_mrr", "new", lambda group: group["mrr"]),
        ("reactivation_mrr", "reactivation", lambda group: group["mrr"]),
        ("expansion_mrr", "expansion", lambda group: group["mrr"] - group["start_mrr"]),
        ("contraction_mrr", "contraction", lambda group: group["start_mrr"] - group["mrr"]),
        ("churned_mrr", "churn", lambda group: group["start_mrr"]),
    ],
)
def test_mrr_movements_by_month(ravenstack, months, metric, movement, amount):
    expected = monthly(months, lambda group: amount(group[group["movement"] == movement]).sum())
    assert compare(expected, ravenstack.metric(metric), tolerance=1e-9) == []


def test_movements_reconcile(months):
    for month, group in months.groupby("month"):
        start = group.loc[group["was_customer"], "start_mrr"].sum()
        end = group.loc[group["is_customer"], "mrr"].sum()
        moved = (
            group.loc[group["movement"].isin(["new", "reactivation"]), "mrr"].sum()
            + (group["mrr"] - group["start_mrr"])[group["movement"].isin(["expansion", "contraction"])].sum()
            - group.loc[group["movement"] == "churn", "start_mrr"].sum()
        )
        assert start + moved == pytest.approx(end), month


def test_logo_churn_by_month(ravenstack, months):
    at_start = months[months["was_customer"]]
    churned = monthly(at_start, lambda group: (~group["is_customer"]).sum())
    rate = monthly(at_start, lambda group: (~group["is_customer"]).mean())
    assert compare(churned, ravenstack.metric("churned_customers")) == []
    assert compare(rate, ravenstack.metric("logo_churn_rate"), zero_elsewhere=False) == []


def test_net_revenue_retention_by_month(ravenstack, months):
    at_start = months[months["was_customer"]]
    expected = monthly(at_start, lambda group: group["mrr"].where(group["is_customer"], 0.0).sum() / group["start_mrr"].sum())
    assert compare(expected, ravenstack.metric("net_revenue_retention"), zero_elsewhere=False) == []


def test_churn_flag_disagrees_with_subscriptions(ravenstack):
    # The mapping reads churn from subscriptions; the account flag says otherwise.
    accounts = pd.read_csv(ravenstack.folder / "ravenstack_accounts.csv", dtype=str, keep_default_na=False)
    assert (accounts["churn_flag"] == "True").sum() == 110
