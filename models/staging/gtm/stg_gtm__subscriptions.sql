with

checked as (
    select * from {{ ref('stg_gtm__subscriptions_checked') }}
),

usable as (
    select
        subscription_id,
        account_id,
        plan,
        amount,
        currency,
        billing_interval,
        coalesce(interval_count, 1) as interval_count,
        discount_percent,
        discount_amount,
        discount_ends_at,
        status,
        coalesce(is_trial, false) as is_trial,
        started_at,
        ended_at,
        cancellation_type,
        coalesce(is_deleted, false) as is_deleted
    from checked
    where _quarantine_reason is null
)

select * from usable
