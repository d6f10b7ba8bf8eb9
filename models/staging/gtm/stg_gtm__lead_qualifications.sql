with

checked as (
    select * from {{ ref('stg_gtm__lead_qualifications_checked') }}
),

usable as (
    select
        qualification_id,
        lead_id,
        criterion,
        is_confirmed,
        confirmed_by,
        recorded_at
    from checked
    where _quarantine_reason is null
)

select * from usable
