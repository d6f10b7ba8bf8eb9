{#- Month membership rule: a subscription counts in month M when it is in
    service on M's snapshot date, the month's last business date (the as-of
    date in the as-of month). In service on date D means
    started_date <= D < service_end_date: the start date counts, the end date
    does not. -#}
with

int_subscriptions_normalized as (
    select * from {{ ref('int_subscriptions_normalized') }}
),

month_offsets as (
    {{ revenue_month_offsets() }}
),

as_of as (
    select
        {{ revenue_as_of_date() }} as as_of_date
),

-- Recurring subscriptions that started by the as-of date.
recurring_subscriptions as (
    select
        int_subscriptions_normalized.*,
        as_of.as_of_date,
        {{ gtm_period_start('int_subscriptions_normalized.started_date', 'month') }} as start_month,
        {{ gtm_period_start('as_of.as_of_date', 'month') }} as as_of_month
    from int_subscriptions_normalized
    cross join as_of
    where
        int_subscriptions_normalized.is_recurring
        and int_subscriptions_normalized.started_date <= as_of.as_of_date
),

-- Every month from the start month to the as-of month, with its snapshot date.
candidate_months as (
    select
        recurring_subscriptions.*,
        cast({{ dbt.dateadd('month', 'month_offsets.month_offset', 'recurring_subscriptions.start_month') }} as date)
            as mrr_month
    from recurring_subscriptions
    inner join month_offsets
        on month_offsets.month_offset <= {{ dbt.datediff(
            'recurring_subscriptions.start_month', 'recurring_subscriptions.as_of_month', 'month'
        ) }}
),

snapshots as (
    select
        *,
        case
            when cast({{ dbt.last_day('mrr_month', 'month') }} as date) < as_of_date
                then cast({{ dbt.last_day('mrr_month', 'month') }} as date)
            else as_of_date
        end as snapshot_date
    from candidate_months
),

-- Months in which the subscription is in service on the snapshot date, with
-- its monthly amount: discounted while the discount has not ended.
in_service as (
    select
        subscription_id,
        account_id,
        plan,
        currency,
        is_trial,
        mrr_month,
        snapshot_date,
        rate_to_reporting,
        case
            when discount_ends_date is null or snapshot_date < discount_ends_date
                then monthly_discounted_amount
            else monthly_list_amount
        end as monthly_amount
    from snapshots
    where
        started_date <= snapshot_date
        and (service_end_date is null or snapshot_date < service_end_date)
),

final as (
    select
        subscription_id,
        account_id,
        plan,
        currency,
        is_trial,
        mrr_month,
        snapshot_date,
        cast(monthly_amount as decimal(38, 4)) as monthly_amount_original,
        cast(monthly_amount * rate_to_reporting as decimal(38, 4)) as monthly_amount
    from in_service
)

select * from final
