with

checked as (
    select * from {{ ref('stg_gtm__lead_activities_checked') }}
),

usable as (
    select
        activity_id,
        lead_id,
        activity_type,
        occurred_at
    from checked
    where _quarantine_reason is null
)

select * from usable
