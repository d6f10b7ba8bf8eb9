{#- Surviving opportunities (int_opportunities_resolved) linked to the
    person of their originating lead record. An opportunity whose lead
    record is missing, unknown or belongs to a deleted person keeps a null
    person_id and a link_issue, and stays out of the funnel. -#}

with

int_opportunities_resolved as (
    select * from {{ ref('int_opportunities_resolved') }}
),

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

opportunities_linked as (
    select
        int_opportunities_resolved.opportunity_id,
        int_opportunities_resolved.lead_id,
        case
            when not int_lead_records_resolved.is_person_deleted
                then int_lead_records_resolved.person_id
        end as person_id,
        int_opportunities_resolved.account_id,
        int_opportunities_resolved.created_at,
        int_opportunities_resolved.close_date,
        int_opportunities_resolved.is_open,
        int_opportunities_resolved.is_won,
        int_opportunities_resolved.is_lost,
        case
            when int_opportunities_resolved.lead_id is null then 'opportunity without lead'
            when int_lead_records_resolved.lead_id is null then 'opportunity lead not found'
            when int_lead_records_resolved.is_person_deleted then 'opportunity of deleted person'
        end as link_issue
    from int_opportunities_resolved
    left join int_lead_records_resolved
        on int_opportunities_resolved.lead_id = int_lead_records_resolved.lead_id
)

select * from opportunities_linked
