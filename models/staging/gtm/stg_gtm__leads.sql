with

checked as (
    select * from {{ ref('stg_gtm__leads_checked') }}
),

usable as (
    select
        lead_id,
        email,
        first_name,
        last_name,
        company,
        account_id,
        source_channel,
        campaign,
        lead_score,
        segment,
        created_at,
        coalesce(is_deleted, false) as is_deleted,
        merged_into_lead_id
    from checked
    where _quarantine_reason is null
)

select * from usable
