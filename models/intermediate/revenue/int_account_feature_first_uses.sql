with

stg_gtm__product_usage as (
    select * from {{ ref('stg_gtm__product_usage') }}
),

-- One row per account and feature with the first use.
first_uses as (
    select
        account_id,
        feature,
        min(occurred_at) as first_used_at,
        min({{ gtm_business_date('occurred_at') }}) as first_used_date,
        count(*) as usage_events
    from stg_gtm__product_usage
    group by
        account_id,
        feature
)

select * from first_uses
