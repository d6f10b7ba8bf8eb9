{#- Monthly amounts keep 10 decimals here; they are rounded once, to 4
    decimals, per subscription and month in int_mrr_subscription_months. -#}
with

subscriptions as (
    select * from {{ ref('stg_gtm__subscriptions') }}
),

exchange_rates as (
    select * from {{ ref('int_exchange_rates_to_reporting') }}
),

-- One row per subscription with its business dates and flags. A deleted
-- subscription keeps its history, so its end still produces churn. A deleted
-- subscription without an end date is left out because the input has no
-- deletion time.
dated as (
    select
        subscription_id,
        account_id,
        coalesce(plan, '(unknown)') as plan,
        amount,
        currency,
        billing_interval,
        interval_count,
        coalesce(discount_percent, 0) as discount_percent,
        coalesce(discount_amount, 0) as discount_amount,
        discount_ends_at,
        status,
        is_deleted,
        started_at,
        ended_at,
        cancellation_type,
        -- NOTE: status marks trials only. Service dates come from started_at and
        -- ended_at, so a canceled subscription without ended_at stays in MRR.
        (is_trial or coalesce(status, '') = 'trialing') as is_trial,
        billing_interval <> 'one_time' as is_recurring,
        {{ gtm_business_date('started_at') }} as started_date,
        {{ gtm_business_date('discount_ends_at') }} as discount_ends_date
    from subscriptions
    where not (is_deleted and ended_at is null)
),

-- For each paid recurring subscription that ended, the first start of
-- another paid recurring subscription of the same account after the end and
-- within revenue_restart_gap_days of it.
restarts as (
    select
        ended.subscription_id,
        min(restarted.started_at) as restarted_at
    from dated as ended
    inner join dated as restarted
        on
            ended.account_id = restarted.account_id
            and ended.subscription_id <> restarted.subscription_id
            and ended.ended_at < restarted.started_at
            and {{ dbt.dateadd('day', var('revenue_restart_gap_days'), 'ended.ended_at') }} >= restarted.started_at
    where
        ended.is_recurring
        and not ended.is_trial
        and restarted.is_recurring
        and not restarted.is_trial
    group by ended.subscription_id
),

-- Service end with the restart gap bridged.
bridged as (
    select
        dated.*,
        coalesce(restarts.restarted_at, dated.ended_at) as effective_ended_at,
        restarts.restarted_at is not null as is_gap_bridged
    from dated
    left join restarts
        on dated.subscription_id = restarts.subscription_id
),

-- Amount per billing interval after discounts (percent first, then the fixed
-- amount, never below zero). Monthly equivalent = amount x multiplier /
-- divisor: week 52 / 12, month 1, quarter 1 / 3, year 1 / 12, the divisor
-- times interval_count. One-time charges have no monthly equivalent.
normalized as (
    select
        *,
        {{ gtm_business_date('effective_ended_at') }} as service_end_date,
        case
            when amount * (100 - discount_percent) / 100 - discount_amount > 0
                then amount * (100 - discount_percent) / 100 - discount_amount
            else 0
        end as discounted_amount,
        case when billing_interval = 'week' then 52 else 1 end as monthly_multiplier,
        case billing_interval
            when 'week' then 12 * interval_count
            when 'month' then interval_count
            when 'quarter' then 3 * interval_count
            when 'year' then 12 * interval_count
        end as monthly_divisor
    from bridged
),

-- Rate valid on the subscription's start date; before the first known rate
-- of a currency, its earliest rate. One rate per subscription keeps MRR
-- movements free of exchange-rate noise.
rated as (
    select
        normalized.*,
        coalesce(valid_rate.rate_to_reporting, earliest_rate.rate_to_reporting) as rate_to_reporting,
        case
            when valid_rate.rate_to_reporting is not null then normalized.started_date
            when earliest_rate.rate_to_reporting is not null then earliest_rate.valid_from
        end as rate_date
    from normalized
    left join exchange_rates as valid_rate
        on
            normalized.currency = valid_rate.currency
            and normalized.started_date >= valid_rate.valid_from
            and (valid_rate.valid_to is null or normalized.started_date < valid_rate.valid_to)
    left join exchange_rates as earliest_rate
        on
            normalized.currency = earliest_rate.currency
            and earliest_rate.valid_from = (
                select min(first_rate.valid_from)
                from exchange_rates as first_rate
                where first_rate.currency = normalized.currency
            )
),

final as (
    select
        subscription_id,
        account_id,
        plan,
        currency,
        billing_interval,
        interval_count,
        status,
        cancellation_type,
        is_trial,
        is_recurring,
        is_deleted,
        is_gap_bridged,
        started_at,
        ended_at,
        effective_ended_at,
        started_date,
        service_end_date,
        discount_ends_date,
        amount,
        discount_percent,
        discount_amount,
        discounted_amount,
        monthly_multiplier,
        monthly_divisor,
        cast(
            case
                when billing_interval = 'one_time' then 0
                else amount * monthly_multiplier / monthly_divisor
            end
            as decimal(38, 10)
        ) as monthly_list_amount,
        cast(
            case
                when billing_interval = 'one_time' then 0
                else discounted_amount * monthly_multiplier / monthly_divisor
            end
            as decimal(38, 10)
        ) as monthly_discounted_amount,
        rate_to_reporting,
        rate_date
    from rated
)

select * from final
