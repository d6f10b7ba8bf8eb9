with

checked as (
    select * from {{ ref('stg_gtm__exchange_rates_checked') }}
),

usable as (
    select
        exchange_rate_id,
        rate_date,
        from_currency,
        to_currency,
        rate
    from checked
    where _quarantine_reason is null
)

select * from usable
