{#- Activities are attached to people through their lead record, never by
    email, so an activity is counted once however many records share the
    address. Activities of deleted people stay, flagged. -#}

with

activities as (
    select * from {{ ref('stg_gtm__lead_activities') }}
),

lead_records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

activities_resolved as (
    select
        activities.activity_id,
        activities.lead_id,
        lead_records.person_id,
        lower(activities.activity_type) as activity_type,
        lower(activities.activity_type) in (
            {%- for activity_type in var('funnel_hand_raise_activity_types') %}
                '{{ dbt.escape_single_quotes(activity_type | lower) }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_hand_raise,
        activities.occurred_at,
        lead_records.is_person_deleted
    from activities
    inner join lead_records
        on activities.lead_id = lead_records.lead_id
)

select * from activities_resolved
