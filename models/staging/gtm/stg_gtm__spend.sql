with

checked as (
    select * from {{ ref('stg_gtm__spend_checked') }}
),

usable as (
    select
        spend_id,
        spend_month,
        channel,
        team,
        amount,
        currency
    from checked
    where _quarantine_reason is null
)

select * from usable
