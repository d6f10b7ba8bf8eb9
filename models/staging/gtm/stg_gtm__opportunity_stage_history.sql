with

checked as (
    select * from {{ ref('stg_gtm__opportunity_stage_history_checked') }}
),

usable as (
    select
        history_id,
        opportunity_id,
        stage_name,
        entered_at
    from checked
    where _quarantine_reason is null
)

select * from usable
