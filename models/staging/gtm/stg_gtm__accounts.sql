with

checked as (
    select * from {{ ref('stg_gtm__accounts_checked') }}
),

usable as (
    select
        account_id,
        account_name,
        segment,
        industry,
        country,
        created_at,
        coalesce(is_deleted, false) as is_deleted
    from checked
    where _quarantine_reason is null
)

select * from usable
