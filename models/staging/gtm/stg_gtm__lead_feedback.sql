with

checked as (
    select * from {{ ref('stg_gtm__lead_feedback_checked') }}
),

usable as (
    select
        feedback_id,
        lead_id,
        verdict,
        reason,
        recorded_by,
        recorded_at
    from checked
    where _quarantine_reason is null
)

select * from usable
