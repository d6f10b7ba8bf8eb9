{#- Data-quality exceptions of the funnel input: records the funnel could
    not place as the definitions expect. Each is listed, never silently
    counted or dropped. -#}

with

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

int_lead_opportunities_linked as (
    select * from {{ ref('int_lead_opportunities_linked') }}
),

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

stg_gtm__lead_activities as (
    select * from {{ ref('stg_gtm__lead_activities') }}
),

stg_gtm__lead_qualifications as (
    select * from {{ ref('stg_gtm__lead_qualifications') }}
),

-- Opportunities of live people who have no BANT assessment at all: the
-- person counts as an implied SQL, never as a recorded one.
opportunities_without_qualification as (
    select
        'opportunity without qualification' as exception_type,
        'opportunity' as record_type,
        int_lead_opportunities_linked.opportunity_id as record_id,
        int_lead_opportunities_linked.person_id,
        'person ' || int_lead_opportunities_linked.person_id
        || ' has no BANT assessment; counted as an implied SQL' as detail
    from int_lead_opportunities_linked
    inner join fct_lead_lifecycle
        on int_lead_opportunities_linked.person_id = fct_lead_lifecycle.person_id
    where not fct_lead_lifecycle.has_qualification_record
),

opportunity_link_issues as (
    select
        link_issue as exception_type,
        'opportunity' as record_type,
        opportunity_id as record_id,
        cast(null as {{ dbt.type_string() }}) as person_id,
        'lead_id ' || coalesce(lead_id, '(empty)') || ' does not lead to a live person' as detail
    from int_lead_opportunities_linked
    where link_issue is not null
),

lead_record_issues as (
    select
        merge_issue as exception_type,
        'lead' as record_type,
        lead_id as record_id,
        person_id,
        'counted under person ' || person_id as detail
    from int_lead_records_resolved
    where merge_issue is not null

    union all

    select
        'probable conversion duplicate' as exception_type,
        'lead' as record_type,
        lead_id as record_id,
        person_id,
        'record without email next to ' || duplicate_of_lead_id || '; not counted as a new lead' as detail
    from int_lead_records_resolved
    where is_probable_duplicate
),

orphan_activities as (
    select
        'activity lead not found' as exception_type,
        'activity' as record_type,
        stg_gtm__lead_activities.activity_id as record_id,
        cast(null as {{ dbt.type_string() }}) as person_id,
        'lead_id ' || stg_gtm__lead_activities.lead_id || ' is not a usable lead record' as detail
    from stg_gtm__lead_activities
    left join int_lead_records_resolved
        on stg_gtm__lead_activities.lead_id = int_lead_records_resolved.lead_id
    where int_lead_records_resolved.lead_id is null
),

orphan_qualifications as (
    select
        'qualification lead not found' as exception_type,
        'qualification' as record_type,
        stg_gtm__lead_qualifications.qualification_id as record_id,
        cast(null as {{ dbt.type_string() }}) as person_id,
        'lead_id ' || stg_gtm__lead_qualifications.lead_id || ' is not a usable lead record' as detail
    from stg_gtm__lead_qualifications
    left join int_lead_records_resolved
        on stg_gtm__lead_qualifications.lead_id = int_lead_records_resolved.lead_id
    where int_lead_records_resolved.lead_id is null
),

exceptions as (
    select * from opportunities_without_qualification
    union all
    select * from opportunity_link_issues
    union all
    select * from lead_record_issues
    union all
    select * from orphan_activities
    union all
    select * from orphan_qualifications
)

select * from exceptions
