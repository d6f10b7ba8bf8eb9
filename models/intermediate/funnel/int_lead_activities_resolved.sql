{#- Activities are attached to people through their lead record, never by
    email, so an activity is counted once however many records share the
    address. Activities of deleted people stay, flagged. -#}

with

stg_gtm__lead_activities as (
    select * from {{ ref('stg_gtm__lead_activities') }}
),

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

activities_resolved as (
    select
        stg_gtm__lead_activities.activity_id,
        stg_gtm__lead_activities.lead_id,
        int_lead_records_resolved.person_id,
        lower(stg_gtm__lead_activities.activity_type) as activity_type,
        lower(stg_gtm__lead_activities.activity_type) in (
            {%- for activity_type in var('funnel_hand_raise_activity_types') %}
                '{{ dbt.escape_single_quotes(activity_type | lower) }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_hand_raise,
        stg_gtm__lead_activities.occurred_at,
        int_lead_records_resolved.is_person_deleted
    from stg_gtm__lead_activities
    inner join int_lead_records_resolved
        on stg_gtm__lead_activities.lead_id = int_lead_records_resolved.lead_id
)

select * from activities_resolved
