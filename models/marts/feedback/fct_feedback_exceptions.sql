{#- Input rows the feedback loop cannot use, each with the value at fault:
    verdicts for unknown leads, verdicts recorded before their lead was
    created, feedback rows staging quarantined, and lead rows staging
    quarantined for their lead score (outside 0 to 100, or not a number).
    Together with fct_lead_feedback this accounts for every raw
    lead_feedback row. -#}

with

fct_lead_feedback as (
    select * from {{ ref('fct_lead_feedback') }}
),

stg_gtm__quarantine as (
    select * from {{ ref('stg_gtm__quarantine') }}
),

-- One row per quarantined lead_id; a duplicated id keeps its first reason.
quarantined_leads as (
    select
        record_id as lead_id,
        min(reason) as reason
    from stg_gtm__quarantine
    where source_table = 'leads'
    group by record_id
),

verdict_errors as (
    select
        'lead_feedback' as source_table,
        fct_lead_feedback.feedback_id as record_id,
        fct_lead_feedback.lead_id,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_row,
        case fct_lead_feedback.feedback_role
            when 'lead not found' then 'verdict for unknown lead'
            else 'verdict before lead created'
        end as exception_type,
        case fct_lead_feedback.feedback_role
            when 'lead not found' then fct_lead_feedback.lead_id
            else cast(fct_lead_feedback.recorded_at as {{ dbt.type_string() }})
        end as value,  -- noqa: RF04
        case fct_lead_feedback.feedback_role
            when 'lead not found'
                then coalesce(
                    {{ dbt.concat(["'the lead row is quarantined: '", 'quarantined_leads.reason']) }},
                    'no lead record has this lead_id'
                )
            else {{ dbt.concat([
                "'recorded_at is before the lead was created at '",
                'cast(fct_lead_feedback.lead_created_at as ' ~ dbt.type_string() ~ ')',
            ]) }}
        end as detail
    from fct_lead_feedback
    left join quarantined_leads
        on fct_lead_feedback.lead_id = quarantined_leads.lead_id
    where fct_lead_feedback.is_input_error
),

quarantined_feedback as (
    select
        source_table,
        record_id,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        source_file,
        source_row,
        'feedback row quarantined' as exception_type,
        cast(null as {{ dbt.type_string() }}) as value,  -- noqa: RF04
        reason as detail
    from stg_gtm__quarantine
    where source_table = 'lead_feedback'
),

-- The quarantine reason quotes the raw value: "lead_score: value '101' is
-- out of range (...)" or "lead_score: invalid decimal 'abc' (...)".
lead_score_errors as (
    select
        source_table,
        record_id,
        record_id as lead_id,
        source_file,
        source_row,
        case
            when reason like '%lead_score: value %' then 'lead score out of range'
            else 'lead score invalid'
        end as exception_type,
        {{ dbt.split_part(dbt.split_part('reason', "'lead_score: '", 2), "''''", 2) }} as value,  -- noqa: RF04
        reason as detail
    from stg_gtm__quarantine
    where
        source_table = 'leads'
        and reason like '%lead_score:%'
),

exceptions as (
    select * from verdict_errors
    union all
    select * from quarantined_feedback
    union all
    select * from lead_score_errors
)

select * from exceptions
