with

checked as (
    select * from {{ ref('stg_gtm__product_usage_checked') }}
),

usable as (
    select
        event_id,
        account_id,
        feature,
        occurred_at
    from checked
    where _quarantine_reason is null
)

select * from usable
