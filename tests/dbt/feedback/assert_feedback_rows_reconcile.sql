-- Fails with one row per count that does not reconcile. Every staged
-- verdict is in fct_lead_feedback once. Every input-error verdict and every
-- quarantined feedback row is in fct_feedback_exceptions. Every handoff
-- verdict is the first verdict of one row of fct_lead_handoffs.
with

stg_gtm__lead_feedback as (
    select * from {{ ref('stg_gtm__lead_feedback') }}
),

stg_gtm__quarantine as (
    select * from {{ ref('stg_gtm__quarantine') }}
),

fct_lead_feedback as (
    select * from {{ ref('fct_lead_feedback') }}
),

fct_feedback_exceptions as (
    select * from {{ ref('fct_feedback_exceptions') }}
),

fct_lead_handoffs as (
    select * from {{ ref('fct_lead_handoffs') }}
),

counts as (
    select
        'staged verdicts in fct_lead_feedback' as check_name,
        (select count(*) from stg_gtm__lead_feedback) as expected_count,
        (select count(*) from fct_lead_feedback) as actual_count

    union all

    select
        'input-error verdicts in fct_feedback_exceptions' as check_name,
        (
            select count(*)
            from fct_lead_feedback
            where is_input_error
        ) as expected_count,
        (
            select count(*)
            from fct_feedback_exceptions
            where exception_type in ('verdict for unknown lead', 'verdict before lead created')
        ) as actual_count

    union all

    select
        'quarantined feedback rows in fct_feedback_exceptions' as check_name,
        (
            select count(*)
            from stg_gtm__quarantine
            where source_table = 'lead_feedback'
        ) as expected_count,
        (
            select count(*)
            from fct_feedback_exceptions
            where exception_type = 'feedback row quarantined'
        ) as actual_count

    union all

    select
        'handoff verdicts in fct_lead_handoffs' as check_name,
        (
            select count(*)
            from fct_lead_feedback
            where feedback_role = 'handoff verdict'
        ) as expected_count,
        (
            select count(*)
            from fct_lead_handoffs
            where first_verdict_feedback_id is not null
        ) as actual_count
)

select * from counts
where expected_count <> actual_count
