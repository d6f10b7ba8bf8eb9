{#- SQL (sales-qualified lead) time of each person: the first instant at
    which the latest assessment of every BANT criterion (need, timeline,
    budget, authority) is a confirmation. Assessments may arrive in any
    order and from any record of the person. At equal times a rejection
    wins over a confirmation of the same criterion. -#}

with

stg_gtm__lead_qualifications as (
    select * from {{ ref('stg_gtm__lead_qualifications') }}
),

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

assessments as (
    select
        stg_gtm__lead_qualifications.qualification_id,
        int_lead_records_resolved.person_id,
        stg_gtm__lead_qualifications.criterion,
        stg_gtm__lead_qualifications.is_confirmed,
        stg_gtm__lead_qualifications.recorded_at
    from stg_gtm__lead_qualifications
    inner join int_lead_records_resolved
        on stg_gtm__lead_qualifications.lead_id = int_lead_records_resolved.lead_id
),

-- Each instant at which a person's BANT state can change.
evaluation_instants as (
    select distinct
        person_id,
        recorded_at as evaluated_at
    from assessments
),

-- The latest assessment of each criterion at or before each instant.
states_at_instants as (
    select
        evaluation_instants.person_id,
        evaluation_instants.evaluated_at,
        assessments.criterion,
        assessments.is_confirmed,
        row_number() over (
            partition by
                evaluation_instants.person_id,
                evaluation_instants.evaluated_at,
                assessments.criterion
            order by
                assessments.recorded_at desc,
                case when assessments.is_confirmed then 1 else 0 end asc,
                assessments.qualification_id desc
        ) as recency_rank
    from evaluation_instants
    inner join assessments
        on
            evaluation_instants.person_id = assessments.person_id
            and evaluation_instants.evaluated_at >= assessments.recorded_at
),

confirmed_counts as (
    select
        person_id,
        evaluated_at,
        cast(sum(case when is_confirmed then 1 else 0 end) as integer) as confirmed_criteria
    from states_at_instants
    where recency_rank = 1
    group by
        person_id,
        evaluated_at
),

people_evaluated as (
    select
        person_id,
        min(case when confirmed_criteria = 4 then evaluated_at end) as sql_recorded_at,
        max(evaluated_at) as last_assessed_at
    from confirmed_counts
    group by person_id
),

latest_states as (
    select
        confirmed_counts.person_id,
        confirmed_counts.confirmed_criteria
    from confirmed_counts
    inner join people_evaluated
        on
            confirmed_counts.person_id = people_evaluated.person_id
            and confirmed_counts.evaluated_at = people_evaluated.last_assessed_at
),

qualifications_evaluated as (
    select
        people_evaluated.person_id,
        people_evaluated.sql_recorded_at,
        people_evaluated.last_assessed_at,
        latest_states.confirmed_criteria as confirmed_criteria_latest
    from people_evaluated
    inner join latest_states
        on people_evaluated.person_id = latest_states.person_id
)

select * from qualifications_evaluated
