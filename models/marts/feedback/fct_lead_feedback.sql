{#- Every staged sales verdict gets exactly one feedback_role, so the
    verdicts used by the feedback metrics plus those set aside add up to
    stg_gtm__lead_feedback. Roles, checked in this order:
      lead not found                the lead_id is not a staged lead record
      recorded before lead created  recorded_at is before the record's created_at
      person deleted                the lead's person is deleted in the CRM
      recorded after as-of date     the verdict's business date is after the as-of date
      lead not handed off           the person has no handoff: no MQL under
                                    var feedback_handoff_mql_version, or an
                                    MQL implied only by a later stage
      recorded before handoff       the verdict came before the MQL time
      handoff verdict               the person's first verdict at or after the
                                    handoff (equal times: smallest feedback_id)
      later verdict                 any further verdict on the same handoff
    The first two are input errors and are listed in fct_feedback_exceptions. -#}

{%- set handoff_version = var('feedback_handoff_mql_version') | int -%}
{%- if handoff_version not in (1, 2) -%}
    {{ exceptions.raise_compiler_error(
        "var feedback_handoff_mql_version must be 1 or 2 (an MQL definition version), got "
        ~ var('feedback_handoff_mql_version') ~ "."
    ) }}
{%- endif -%}
{%- set mql = 'mql_v1' if handoff_version == 1 else 'mql' -%}

with

stg_gtm__lead_feedback as (
    select * from {{ ref('stg_gtm__lead_feedback') }}
),

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

-- Every business date a funnel event or a verdict happened on; the latest
-- is the as-of date when var gtm_as_of_date is null.
feedback_dates as (
    select created_date as business_date from fct_lead_lifecycle
    union all
    select {{ mql }}_date as business_date from fct_lead_lifecycle
    union all
    select sql_date as business_date from fct_lead_lifecycle
    union all
    select won_date as business_date from fct_lead_lifecycle
    union all
    select lost_date as business_date from fct_lead_lifecycle
    union all
    select {{ gtm_business_date('recorded_at') }} as business_date from stg_gtm__lead_feedback
),

as_of as (
    select {{ gtm_as_of_date('feedback_dates', 'business_date') }} as as_of_date
),

-- One row per person handed to sales: an MQL reached by its own rule.
handoffs as (
    select
        person_id,
        {{ mql }}_at as handed_off_at
    from fct_lead_lifecycle
    where
        not is_deleted
        and is_{{ mql }}
        and not is_{{ mql }}_implied
),

feedback_with_lead as (
    select
        stg_gtm__lead_feedback.feedback_id,
        stg_gtm__lead_feedback.lead_id,
        int_lead_records_resolved.person_id,
        stg_gtm__lead_feedback.verdict,
        stg_gtm__lead_feedback.reason,
        stg_gtm__lead_feedback.recorded_by,
        stg_gtm__lead_feedback.recorded_at,
        {{ gtm_business_date('stg_gtm__lead_feedback.recorded_at') }} as recorded_date,
        int_lead_records_resolved.created_at as lead_created_at,
        handoffs.handed_off_at,
        as_of.as_of_date,
        case
            when int_lead_records_resolved.lead_id is null
                then 'lead not found'
            when stg_gtm__lead_feedback.recorded_at < int_lead_records_resolved.created_at
                then 'recorded before lead created'
            when int_lead_records_resolved.is_person_deleted
                then 'person deleted'
            when {{ gtm_business_date('stg_gtm__lead_feedback.recorded_at') }} > as_of.as_of_date
                then 'recorded after as-of date'
            when handoffs.person_id is null
                then 'lead not handed off'
            when stg_gtm__lead_feedback.recorded_at < handoffs.handed_off_at
                then 'recorded before handoff'
        end as set_aside_role
    from stg_gtm__lead_feedback
    cross join as_of
    left join int_lead_records_resolved
        on stg_gtm__lead_feedback.lead_id = int_lead_records_resolved.lead_id
    left join handoffs
        on int_lead_records_resolved.person_id = handoffs.person_id
),

-- Verdicts on a handoff, numbered per person in time order.
feedback_ranked as (
    select
        feedback_with_lead.*,
        case
            when feedback_with_lead.set_aside_role is null
                then row_number() over (
                    partition by feedback_with_lead.person_id, feedback_with_lead.set_aside_role
                    order by feedback_with_lead.recorded_at, feedback_with_lead.feedback_id
                )
        end as verdict_number
    from feedback_with_lead
),

feedback_classified as (
    select
        feedback_id,
        lead_id,
        person_id,
        verdict,
        reason,
        recorded_by,
        recorded_at,
        recorded_date,
        lead_created_at,
        handed_off_at,
        as_of_date,
        cast(case when set_aside_role is null then verdict_number end as integer) as verdict_number,
        case
            when set_aside_role is not null then set_aside_role
            when verdict_number = 1 then 'handoff verdict'
            else 'later verdict'
        end as feedback_role,
        coalesce(set_aside_role in ('lead not found', 'recorded before lead created'), false) as is_input_error
    from feedback_ranked
)

select * from feedback_classified
