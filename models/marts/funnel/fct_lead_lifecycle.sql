{#- Stage rules (docs block funnel_stage_order):
    1. Each stage has a recorded time from its own rule: lead = creation,
       MQL = first hand-raise (version 2 also needs fit), SQL = BANT
       complete, opportunity = first opportunity created, won = first won
       close, lost = last lost close when nothing is won or open.
    2. A time recorded before the lead was created counts at creation.
    3. Going back from the opportunity, each stage's time is the earlier of
       its recorded time and the next stage's time. A stage reached only
       this way is implied, so no stage-to-stage conversion exceeds 100 %.
    4. Won and lost dates are not earlier than the opportunity date.
    NOTE: this fact reads all input, whatever var gtm_as_of_date says; the
    as-of date filters only fct_funnel_cohorts and metrics_funnel. Won and
    lost come from the opportunities' current state. -#}

with

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

int_lead_activities_resolved as (
    select * from {{ ref('int_lead_activities_resolved') }}
),

int_lead_qualifications_evaluated as (
    select * from {{ ref('int_lead_qualifications_evaluated') }}
),

int_lead_opportunities_linked as (
    select * from {{ ref('int_lead_opportunities_linked') }}
),

-- Original source: the earliest-created record of the person that has a
-- value. Current attributes: the person's primary record (lead_id =
-- person_id) first, then the most recently created record with a value.
attribute_ranks as (
    select
        person_id,
        source_channel,
        campaign,
        account_id,
        segment,
        lead_score,
        row_number() over (
            partition by person_id
            order by case when source_channel is null then 1 else 0 end, created_at, lead_id
        ) as source_channel_rank,
        row_number() over (
            partition by person_id
            order by case when campaign is null then 1 else 0 end, created_at, lead_id
        ) as campaign_rank,
        row_number() over (
            partition by person_id
            order by
                case when account_id is null then 1 else 0 end,
                case when lead_id = person_id then 0 else 1 end,
                created_at desc,
                lead_id asc
        ) as account_rank,
        row_number() over (
            partition by person_id
            order by
                case when segment is null then 1 else 0 end,
                case when lead_id = person_id then 0 else 1 end,
                created_at desc,
                lead_id asc
        ) as segment_rank,
        row_number() over (
            partition by person_id
            order by
                case when lead_score is null then 1 else 0 end,
                case when lead_id = person_id then 0 else 1 end,
                created_at desc,
                lead_id asc
        ) as lead_score_rank
    from int_lead_records_resolved
),

person_attributes as (
    select
        person_id,
        max(case when source_channel_rank = 1 then source_channel end) as source_channel,
        max(case when campaign_rank = 1 then campaign end) as campaign,
        max(case when account_rank = 1 then account_id end) as account_id,
        max(case when segment_rank = 1 then segment end) as segment,
        max(case when lead_score_rank = 1 then lead_score end) as lead_score
    from attribute_ranks
    group by person_id
),

person_records as (
    select
        person_id,
        bool_or(is_person_deleted) as is_deleted,
        bool_or(has_email) as has_email,
        count(*) as record_count,
        min(created_at) as created_at
    from int_lead_records_resolved
    group by person_id
),

person_activities as (
    select
        person_id,
        count(*) as activity_count,
        cast(sum(case when is_hand_raise then 1 else 0 end) as bigint) as hand_raise_count,
        min(occurred_at) as first_activity_at
    from int_lead_activities_resolved
    group by person_id
),

-- The first hand-raise of each person; equal times go to the smallest id.
first_hand_raises as (
    select
        person_id,
        activity_id as first_hand_raise_activity_id,
        activity_type as first_hand_raise_type,
        occurred_at as first_hand_raise_at
    from (
        select
            int_lead_activities_resolved.*,
            row_number() over (
                partition by int_lead_activities_resolved.person_id
                order by int_lead_activities_resolved.occurred_at, int_lead_activities_resolved.activity_id
            ) as hand_raise_rank
        from int_lead_activities_resolved
        where int_lead_activities_resolved.is_hand_raise
    ) as ranked_hand_raises
    where hand_raise_rank = 1
),

person_opportunities as (
    select
        person_id,
        count(*) as opportunity_count,
        min(created_at) as first_opportunity_at,
        sum(case when is_open then 1 else 0 end) as open_opportunity_count,
        sum(case when is_won then 1 else 0 end) as won_opportunity_count,
        min(case when is_won then close_date end) as first_won_close_date,
        max(case when is_lost then close_date end) as last_lost_close_date
    from int_lead_opportunities_linked
    where person_id is not null
    group by person_id
),

-- Step 1: each stage's recorded time, by its own rule.
recorded_stages as (
    select
        person_records.person_id,
        person_records.is_deleted,
        person_attributes.account_id,
        person_attributes.source_channel,
        person_attributes.campaign,
        person_attributes.segment,
        person_attributes.lead_score,
        person_records.has_email,
        person_records.record_count,
        coalesce(person_activities.activity_count, 0) as activity_count,
        coalesce(person_activities.hand_raise_count, 0) as hand_raise_count,
        person_records.created_at,
        {{ funnel_earliest('person_activities.first_activity_at', 'person_records.created_at') }}
            as first_touch_at,
        -- NOTE: fit uses the current score and segment, because the input has
        -- no score history; a score that rose after the hand-raise counts.
        coalesce(
            person_attributes.lead_score >= {{ var('funnel_mql_min_lead_score') }}
            or lower(person_attributes.segment) in (
                {%- for segment in var('funnel_icp_segments') %}
                    '{{ dbt.escape_single_quotes(segment | lower) }}'{{ ',' if not loop.last }}
                {%- endfor %}
            ),
            false
        ) as is_fit,
        first_hand_raises.first_hand_raise_activity_id,
        first_hand_raises.first_hand_raise_type,
        first_hand_raises.first_hand_raise_at as mql_v1_recorded_at,
        int_lead_qualifications_evaluated.person_id is not null as has_qualification_record,
        int_lead_qualifications_evaluated.sql_recorded_at,
        coalesce(person_opportunities.opportunity_count, 0) as opportunity_count,
        person_opportunities.first_opportunity_at as opportunity_recorded_at,
        case
            when person_opportunities.won_opportunity_count > 0
                then person_opportunities.first_won_close_date
        end as won_recorded_date,
        case
            when
                coalesce(person_opportunities.won_opportunity_count, 0) = 0
                and coalesce(person_opportunities.open_opportunity_count, 0) = 0
                then person_opportunities.last_lost_close_date
        end as lost_recorded_date
    from person_records
    inner join person_attributes
        on person_records.person_id = person_attributes.person_id
    left join person_activities
        on person_records.person_id = person_activities.person_id
    left join first_hand_raises
        on person_records.person_id = first_hand_raises.person_id
    left join int_lead_qualifications_evaluated
        on person_records.person_id = int_lead_qualifications_evaluated.person_id
    left join person_opportunities
        on person_records.person_id = person_opportunities.person_id
),

-- Step 2: a stage recorded before the lead was created counts at creation.
stages_after_creation as (
    select
        recorded_stages.*,
        case when recorded_stages.is_fit then recorded_stages.mql_v1_recorded_at end as mql_recorded_at,
        {{ funnel_not_before('mql_v1_recorded_at', 'created_at') }} as mql_v1_not_before_creation,
        {{ funnel_not_before('case when is_fit then mql_v1_recorded_at end', 'created_at') }}
            as mql_not_before_creation,
        {{ funnel_not_before('sql_recorded_at', 'created_at') }} as sql_not_before_creation,
        {{ funnel_not_before('opportunity_recorded_at', 'created_at') }} as opportunity_at
    from recorded_stages
),

-- Step 3: a later stage implies the earlier ones, at the later time.
stages_implied as (
    select
        stages_after_creation.*,
        {{ funnel_earliest('sql_not_before_creation', 'opportunity_at') }} as sql_at
    from stages_after_creation
),

stages_implied_mql as (
    select
        stages_implied.*,
        {{ funnel_earliest('mql_not_before_creation', 'sql_at') }} as mql_at,
        {{ funnel_earliest('mql_v1_not_before_creation', 'sql_at') }} as mql_v1_at,
        {{ gtm_business_date('opportunity_at') }} as opportunity_date
    from stages_implied
),

-- Step 4: closes are not earlier than the opportunity.
stages_closed as (
    select
        stages_implied_mql.*,
        {{ funnel_not_before('won_recorded_date', 'opportunity_date') }} as won_date,
        {{ funnel_not_before('lost_recorded_date', 'opportunity_date') }} as lost_date
    from stages_implied_mql
),

lifecycle as (
    select
        person_id,
        is_deleted,
        account_id,
        source_channel,
        campaign,
        segment,
        lead_score,
        is_fit,
        has_email,
        record_count,
        activity_count,
        hand_raise_count,
        opportunity_count,
        created_at,
        {{ gtm_business_date('created_at') }} as created_date,
        first_touch_at,
        {{ gtm_business_date('first_touch_at') }} as first_touch_date,

        mql_at is not null as is_mql,
        mql_at,
        {{ gtm_business_date('mql_at') }} as mql_date,
        mql_at is not null and mql_recorded_at is null as is_mql_implied,
        mql_recorded_at,

        mql_v1_at is not null as is_mql_v1,
        mql_v1_at,
        {{ gtm_business_date('mql_v1_at') }} as mql_v1_date,
        mql_v1_at is not null and mql_v1_recorded_at is null as is_mql_v1_implied,
        mql_v1_recorded_at,
        first_hand_raise_activity_id,
        first_hand_raise_type,

        sql_at is not null as is_sql,
        sql_at,
        {{ gtm_business_date('sql_at') }} as sql_date,
        sql_at is not null and sql_recorded_at is null as is_sql_implied,
        sql_recorded_at,
        has_qualification_record,

        opportunity_at is not null as is_opportunity,
        opportunity_at,
        opportunity_date,
        false as is_opportunity_implied,

        won_date is not null as is_won,
        won_date,
        false as is_won_implied,

        lost_date is not null as is_lost,
        lost_date,
        false as is_lost_implied
    from stages_closed
),

-- Days between stages, on business dates (a date minus a date is a whole
-- number of days on DuckDB and PostgreSQL). An interval with an implied end
-- is not measured (null), so skipped stages do not pull averages to zero.
lifecycle_intervals as (
    select
        lifecycle.*,
        case
            when lifecycle.is_mql and not lifecycle.is_mql_implied
                then cast(lifecycle.mql_date - lifecycle.created_date as integer)
        end as days_lead_to_mql,
        case
            when lifecycle.is_mql_v1 and not lifecycle.is_mql_v1_implied
                then cast(lifecycle.mql_v1_date - lifecycle.created_date as integer)
        end as days_lead_to_mql_v1,
        case
            when lifecycle.is_sql and not lifecycle.is_sql_implied and not lifecycle.is_mql_implied
                then cast(lifecycle.sql_date - lifecycle.mql_date as integer)
        end as days_mql_to_sql,
        case
            when lifecycle.is_sql and not lifecycle.is_sql_implied and not lifecycle.is_mql_v1_implied
                then cast(lifecycle.sql_date - lifecycle.mql_v1_date as integer)
        end as days_mql_v1_to_sql,
        case
            when lifecycle.is_opportunity and not lifecycle.is_sql_implied
                then cast(lifecycle.opportunity_date - lifecycle.sql_date as integer)
        end as days_sql_to_opportunity,
        case
            when lifecycle.is_won
                then cast(lifecycle.won_date - lifecycle.opportunity_date as integer)
        end as days_opportunity_to_won,
        case
            when lifecycle.is_won
                then cast(lifecycle.won_date - lifecycle.first_touch_date as integer)
        end as days_first_touch_to_won
    from lifecycle
)

select * from lifecycle_intervals
