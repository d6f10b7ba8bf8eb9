{%- set zero_mrr_status = var('revenue_zero_mrr_customer_status') -%}
{%- if zero_mrr_status not in ('active', 'cancelled') -%}
    {{ exceptions.raise_compiler_error(
        "var revenue_zero_mrr_customer_status must be 'active' or 'cancelled', got '" ~ zero_mrr_status ~ "'."
    ) }}
{%- endif -%}
{%- set reactivation_window = var('revenue_reactivation_window_months') -%}
{%- if reactivation_window is none -%}
    {%- set within_reactivation_window = 'true' -%}
{%- else -%}
    {%- set within_reactivation_window = 'months_since_churn <= ' ~ (reactivation_window | int) -%}
{%- endif -%}

with

int_mrr_subscription_months as (
    select * from {{ ref('int_mrr_subscription_months') }}
),

int_subscriptions_normalized as (
    select * from {{ ref('int_subscriptions_normalized') }}
),

int_revenue_accounts_enriched as (
    select * from {{ ref('int_revenue_accounts_enriched') }}
),

month_offsets as (
    {{ revenue_month_offsets() }}
),

as_of as (
    select
        {{ revenue_as_of_date() }} as as_of_date
),

-- One row per account per month from the account's first month with a
-- recurring subscription (trials included) to the as-of month.
account_spans as (
    select
        int_mrr_subscription_months.account_id,
        min(int_mrr_subscription_months.mrr_month) as first_month,
        max(as_of.as_of_date) as as_of_date
    from int_mrr_subscription_months
    cross join as_of
    group by int_mrr_subscription_months.account_id
),

account_month_spine as (
    select
        account_spans.account_id,
        cast({{ dbt.dateadd('month', 'month_offsets.month_offset', 'account_spans.first_month') }} as date)
            as mrr_month,
        account_spans.as_of_date
    from account_spans
    inner join month_offsets
        on month_offsets.month_offset <= {{ dbt.datediff(
            'account_spans.first_month',
            gtm_period_start('account_spans.as_of_date', 'month'),
            'month'
        ) }}
),

spine_month_ends as (
    select distinct
        mrr_month,
        cast({{ dbt.last_day('mrr_month', 'month') }} as date) as month_end_date
    from account_month_spine
),

-- Paid and trial amounts per account and month (reporting currency).
account_month_amounts as (
    select
        account_id,
        mrr_month,
        sum(case when not is_trial then monthly_amount else 0 end) as mrr,
        sum(case when is_trial then monthly_amount else 0 end) as trial_mrr,
        sum(case when not is_trial then 1 else 0 end) as paid_subscription_count,
        sum(case when is_trial then 1 else 0 end) as trial_subscription_count
    from int_mrr_subscription_months
    group by
        account_id,
        mrr_month
),

-- The plan of the account's largest paid subscription in the month.
ranked_plans as (
    select
        account_id,
        mrr_month,
        plan,
        row_number() over (
            partition by account_id, mrr_month
            order by monthly_amount desc, plan asc, subscription_id asc
        ) as plan_rank
    from int_mrr_subscription_months
    where not is_trial
),

account_months as (
    select
        account_month_spine.account_id,
        account_month_spine.mrr_month,
        case
            when spine_month_ends.month_end_date < account_month_spine.as_of_date
                then spine_month_ends.month_end_date
            else account_month_spine.as_of_date
        end as snapshot_date,
        cast(coalesce(account_month_amounts.mrr, 0) as decimal(38, 4)) as mrr,
        cast(coalesce(account_month_amounts.trial_mrr, 0) as decimal(38, 4)) as trial_mrr,
        cast(coalesce(account_month_amounts.paid_subscription_count, 0) as {{ dbt.type_bigint() }})
            as paid_subscription_count,
        cast(coalesce(account_month_amounts.trial_subscription_count, 0) as {{ dbt.type_bigint() }})
            as trial_subscription_count,
        ranked_plans.plan as primary_plan,
        int_revenue_accounts_enriched.segment,
        int_revenue_accounts_enriched.acquisition_channel
    from account_month_spine
    inner join spine_month_ends
        on account_month_spine.mrr_month = spine_month_ends.mrr_month
    left join account_month_amounts
        on
            account_month_spine.account_id = account_month_amounts.account_id
            and account_month_spine.mrr_month = account_month_amounts.mrr_month
    left join ranked_plans
        on
            account_month_spine.account_id = ranked_plans.account_id
            and account_month_spine.mrr_month = ranked_plans.mrr_month
            and ranked_plans.plan_rank = 1
    left join int_revenue_accounts_enriched
        on account_month_spine.account_id = int_revenue_accounts_enriched.account_id
),

-- Customer: an account with a paid recurring subscription in service on the
-- snapshot date; with revenue_zero_mrr_customer_status 'cancelled', also MRR
-- above zero.
customers_flagged as (
    select
        *,
        {% if zero_mrr_status == 'active' -%}
            paid_subscription_count > 0
        {%- else -%}
            mrr > 0
        {%- endif %} as is_customer,
        mrr > 0 as is_paying
    from account_months
),

-- The previous month's state, the latest earlier customer month and the
-- first customer month (the account's cohort).
with_history as (
    select
        *,
        coalesce(
            lag(mrr) over (partition by account_id order by mrr_month),
            cast(0 as decimal(38, 4))
        ) as start_mrr,
        coalesce(lag(is_customer) over (partition by account_id order by mrr_month), false) as was_customer,
        lag(primary_plan) over (partition by account_id order by mrr_month) as start_primary_plan,
        max(case when is_customer then mrr_month end) over (
            partition by account_id
            order by mrr_month
            rows between unbounded preceding and 1 preceding
        ) as last_customer_month_before,
        min(case when is_customer then mrr_month end) over (partition by account_id) as cohort_month
    from customers_flagged
),

-- Months from the churn month (the month after the latest earlier customer
-- month) to this month.
with_months_since_churn as (
    select
        *,
        {{ dbt.datediff('last_customer_month_before', 'mrr_month', 'month') }} - 1 as months_since_churn  -- noqa: LT05
    from with_history
),

-- One movement per account and month. A customer who returns after an
-- earlier customer month is a reactivation when the return is within
-- revenue_reactivation_window_months of the churn month.
classified as (
    select
        *,
        case
            when not was_customer and is_customer and last_customer_month_before is null then 'new'
            when not was_customer and is_customer and {{ within_reactivation_window }} then 'reactivation'
            when not was_customer and is_customer then 'new'
            when was_customer and not is_customer then 'churn'
            when was_customer and mrr > start_mrr then 'expansion'
            when was_customer and mrr < start_mrr then 'contraction'
            when was_customer then 'unchanged'
            else 'inactive'
        end as movement_type
    from with_months_since_churn
),

-- Cancellation type of the paid subscription whose service ended last
-- within a churn month (from its first day to its snapshot).
churn_reasons as (
    select
        classified.account_id,
        classified.mrr_month,
        int_subscriptions_normalized.cancellation_type,
        row_number() over (
            partition by classified.account_id, classified.mrr_month
            order by
                int_subscriptions_normalized.effective_ended_at desc,
                int_subscriptions_normalized.subscription_id desc
        ) as reason_rank
    from classified
    inner join int_subscriptions_normalized
        on
            classified.account_id = int_subscriptions_normalized.account_id
            and classified.mrr_month <= int_subscriptions_normalized.service_end_date
            and classified.snapshot_date >= int_subscriptions_normalized.service_end_date
    where
        classified.movement_type = 'churn'
        and int_subscriptions_normalized.is_recurring
        and not int_subscriptions_normalized.is_trial
),

final as (
    select
        classified.account_id,
        classified.mrr_month,
        classified.snapshot_date,
        classified.mrr,
        classified.trial_mrr,
        classified.paid_subscription_count,
        classified.trial_subscription_count,
        classified.is_customer,
        classified.is_paying,
        coalesce(classified.primary_plan, '(none)') as primary_plan,
        coalesce(classified.start_primary_plan, '(none)') as start_primary_plan,
        classified.segment,
        classified.acquisition_channel,
        classified.cohort_month,
        case
            when classified.cohort_month is not null
                then cast(
                    {{ dbt.datediff('classified.cohort_month', 'classified.mrr_month', 'month') }}
                    as {{ dbt.type_bigint() }}
                )
        end as months_since_cohort_start,
        classified.start_mrr,
        classified.was_customer,
        classified.movement_type,
        cast(case when classified.movement_type = 'new' then classified.mrr else 0 end as decimal(38, 4))
            as new_mrr,
        cast(
            case when classified.movement_type = 'expansion' then classified.mrr - classified.start_mrr else 0 end
            as decimal(38, 4)
        ) as expansion_mrr,
        cast(
            case when classified.movement_type = 'contraction' then classified.start_mrr - classified.mrr else 0 end
            as decimal(38, 4)
        ) as contraction_mrr,
        cast(case when classified.movement_type = 'churn' then classified.start_mrr else 0 end as decimal(38, 4))
            as churned_mrr,
        cast(case when classified.movement_type = 'reactivation' then classified.mrr else 0 end as decimal(38, 4))
            as reactivation_mrr,
        case
            when classified.movement_type <> 'churn' then null
            when churn_reasons.cancellation_type is not null then churn_reasons.cancellation_type
            when classified.paid_subscription_count > 0 then 'zero_mrr'
            else '(unknown)'
        end as churn_reason
    from classified
    left join churn_reasons
        on
            classified.account_id = churn_reasons.account_id
            and classified.mrr_month = churn_reasons.mrr_month
            and churn_reasons.reason_rank = 1
)

select * from final
