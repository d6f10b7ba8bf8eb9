{#- MQL version 1: see the funnel_mql_v1 docs block. The stage logic lives in
    fct_lead_lifecycle, so both versions share one implementation. -#}

with

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

mqls as (
    select
        person_id,
        cast(1 as integer) as mql_definition_version,
        mql_v1_at as mql_at,
        mql_v1_date as mql_date,
        is_mql_v1_implied as is_implied,
        mql_v1_recorded_at as first_hand_raise_at,
        first_hand_raise_activity_id,
        first_hand_raise_type,
        is_fit,
        lead_score,
        account_id,
        source_channel,
        campaign,
        segment,
        created_at,
        created_date,
        days_lead_to_mql_v1 as days_from_lead
    from fct_lead_lifecycle
    where
        is_mql_v1
        and not is_deleted
)

select * from mqls
