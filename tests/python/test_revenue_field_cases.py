"""Real subscription shapes that break MRR, churn and LTV, built end to end
from CSV files through staging to the revenue marts on DuckDB.

The input is tests/python/data/revenue; every account id is one case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import DATA, build_folder

AS_OF = "2024-08-31"


@pytest.fixture(scope="module")
def revenue_build(tmp_path_factory):
    build = build_folder(
        DATA / "revenue",
        tmp_path_factory.mktemp("revenue"),
        select="+metrics_revenue +fct_cohort_retention_curves fct_mrr_movements",
        extra_args=["--vars", f"{{gtm_as_of_date: '{AS_OF}'}}", "--indirect-selection", "cautious"],
    )
    assert build.outcome.success, "\n".join(build.outcome.failures)
    return build


def account_months(build, account_id: str) -> dict[str, tuple]:
    """Return the account's months as YYYY-MM mapped to
    (mrr, movement_type, churned_mrr, contraction_mrr, churn_reason, is_customer)."""
    rows = build.query(
        """
        select strftime(mrr_month, '%Y-%m'), mrr, movement_type, churned_mrr, contraction_mrr, churn_reason,
            is_customer
        from main.fct_mrr_account_months
        where account_id = ?
        order by mrr_month
        """,
        [account_id],
    )
    return {row[0]: row[1:] for row in rows}


def test_deleted_subscription_still_churns(revenue_build):
    months = account_months(revenue_build, "K12")
    assert months["2024-03"][1] == "churn"
    assert months["2024-03"][2] == Decimal("80.0000")


def test_month_after_last_is_zero_churn(revenue_build):
    months = account_months(revenue_build, "K13")
    assert months["2024-03"][0] == Decimal("0.0000")
    assert months["2024-03"][1] == "churn"
    assert months["2024-03"][2] == Decimal("100.0000")
    assert list(months) == [f"2024-{month:02d}" for month in range(1, 9)]


def test_cancellation_reduces_mrr_once(revenue_build):
    changes = revenue_build.query(
        "select strftime(mrr_month, '%Y-%m'), mrr_change from main.fct_mrr_movements "
        "where account_id = 'K8' and mrr_change <> 0 order by mrr_month"
    )
    assert changes == [("2024-01", Decimal("50.0000")), ("2024-05", Decimal("-50.0000"))]


def test_free_plan_is_contraction_by_default(revenue_build):
    months = account_months(revenue_build, "K15")
    assert months["2024-07"][0] == Decimal("0.0000")
    assert months["2024-07"][1] == "contraction"
    assert months["2024-07"][3] == Decimal("49.0000")
    assert months["2024-07"][5] is True


def test_add_on_start_and_cancel(revenue_build):
    months = account_months(revenue_build, "K17")
    assert months["2024-01"][:2] == (Decimal("120.0000"), "new")
    assert months["2024-04"][1] == "contraction"
    assert months["2024-04"][3] == Decimal("20.0000")
    new_customers = revenue_build.query(
        "select new_customers from main.fct_revenue_retention "
        "where grain = 'month' and period_start = date '2024-01-01' and dimension_name = 'segment' "
        "and dimension_value = 'smb'"
    )
    assert new_customers == [(1,)]


def test_price_migration_is_not_churn(revenue_build):
    months = account_months(revenue_build, "K18")
    assert months["2024-06"][:2] == (Decimal("10.0000"), "unchanged")
    assert months["2024-07"][:2] == (Decimal("10.0000"), "unchanged")
    assert all(month[1] != "churn" for month in months.values())


def test_churn_reasons_reported_separately(revenue_build):
    reasons = {
        account_id: account_months(revenue_build, account_id)["2024-05"][4] for account_id in ("K19", "K20", "K21")
    }
    assert reasons == {"K19": "voluntary", "K20": "involuntary", "K21": "term_end"}
    (row,) = revenue_build.query(
        "select starting_customers, churned_customers, voluntary_churned_customers, involuntary_churned_customers, "
        "term_end_churned_customers from main.fct_revenue_retention "
        "where grain = 'month' and period_start = date '2024-05-01' and dimension_name = 'all'"
    )
    starting, churned, voluntary, involuntary, term_end = row
    # K8's cancellation (service until 2024-05-31) is May's other voluntary churn.
    assert (churned, voluntary, involuntary, term_end) == (4, 2, 1, 1)
    assert churned <= starting


def test_trials_reported_apart_from_mrr(revenue_build):
    (row,) = revenue_build.query(
        "select sum(mrr), sum(trial_mrr) from main.fct_mrr_account_months "
        "where account_id in ('K22', 'K23', 'K24') and mrr_month = date '2024-08-01'"
    )
    assert row == (Decimal("98.0000"), Decimal("49.0000"))


def test_discounts_never_below_zero(revenue_build):
    assert account_months(revenue_build, "K11")["2024-08"][0] == Decimal("39.2000")
    assert account_months(revenue_build, "K30")["2024-08"][0] == Decimal("0.0000")


def test_terms_normalised_to_monthly(revenue_build):
    august = {
        account_id: account_months(revenue_build, account_id)["2024-08"][0] for account_id in ("K31", "K32", "K33", "K34")
    }
    assert august == {
        "K31": Decimal("100.0000"),
        "K32": Decimal("100.0000"),
        "K33": Decimal("43.3333"),
        "K34": Decimal("110.0000"),
    }
    assert account_months(revenue_build, "K35") == {}


def test_zero_mrr_customer_outside_arpa(revenue_build):
    (row,) = revenue_build.query(
        "select paying_customers, ending_mrr, arpa from main.fct_revenue_unit_economics "
        "where grain = 'month' and period_start = date '2024-08-01' and dimension_name = 'all'"
    )
    paying, mrr, arpa = row
    customers = revenue_build.query(
        "select count(*) from main.fct_mrr_account_months where mrr_month = date '2024-08-01' and is_customer"
    )[0][0]
    assert paying == customers - 2  # K15 (free plan) and K30 (100 % discount) pay nothing
    assert arpa == (mrr / paying).quantize(Decimal("0.0001"))


def test_acquisition_channel_from_earliest_person(revenue_build):
    channels = revenue_build.query(
        "select distinct acquisition_channel from main.fct_mrr_account_months where account_id = 'K17'"
    )
    assert channels == [("paid_search",)]


def test_undefined_ratios_have_reasons(revenue_build):
    rows = dict(
        revenue_build.query(
            "select dimension_value, cac_null_reason from main.fct_revenue_unit_economics "
            "where grain = 'month' and period_start = date '2024-01-01' and dimension_name = 'channel'"
        )
    )
    assert rows["events"] == "no new customers"
    assert rows["paid_search"] is None
    ltv_reasons = dict(
        revenue_build.query(
            "select strftime(period_start, '%Y-%m'), ltv_null_reason from main.fct_revenue_unit_economics "
            "where grain = 'month' and dimension_name = 'all' and period_start <= date '2024-02-01'"
        )
    )
    assert ltv_reasons == {"2024-01": "no customers at risk of churn", "2024-02": "no churn observed"}


def test_metrics_have_no_infinite_values(revenue_build):
    (count,) = revenue_build.query(
        "select count(*) from main.metrics_revenue "
        "where isinf(value) or isnan(value) or isinf(numerator) or isnan(numerator)"
    )[0]
    assert count == 0


def test_metrics_long_shape_matches_marts(revenue_build):
    (row,) = revenue_build.query(
        "select value, numerator, denominator, unit from main.metrics_revenue "
        "where metric_name = 'logo_churn_rate' and grain = 'month' and period_start = date '2024-05-01' "
        "and dimension_name = 'all'"
    )
    value, numerator, denominator, unit = row
    assert (numerator, unit) == (4.0, "ratio")
    assert value == pytest.approx(numerator / denominator, abs=1e-6)
    spend_dimensions = revenue_build.query(
        "select distinct dimension_name from main.metrics_revenue where metric_name = 'cac' order by 1"
    )
    assert spend_dimensions == [("all",), ("channel",)]


def test_mrr_identity_holds_every_month(revenue_build):
    mismatches = revenue_build.query(
        """
        select mrr_month
        from main.fct_mrr_account_months
        group by mrr_month
        having sum(start_mrr) + sum(new_mrr) + sum(expansion_mrr) + sum(reactivation_mrr)
            - sum(contraction_mrr) - sum(churned_mrr) <> sum(mrr)
        """
    )
    assert mismatches == []
