-- One row per grain, period and canonical open stage (dimension_name
-- 'stage') with the inputs of days in stage (by the date the opportunity
-- last left the stage) and stage conversion (by the date it first reached
-- the stage).
with

fct_opportunity_stage_intervals as (
    select * from {{ ref('fct_opportunity_stage_intervals') }}
),

int_pipeline_periods_spined as (
    select * from {{ ref('int_pipeline_periods_spined') }}
),

gtm_stage_mapping as (
    select * from {{ ref('gtm_stage_mapping') }}
),

periods as (
    select distinct
        grain,
        period_start
    from int_pipeline_periods_spined
),

open_stages as (
    select distinct canonical_stage
    from gtm_stage_mapping
    where is_open
),

period_stages as (
    select
        periods.grain,
        periods.period_start,
        'stage' as dimension_name,
        open_stages.canonical_stage as dimension_value
    from periods
    cross join open_stages
),

-- Time an opportunity spent in a stage, summed over its real visits, once
-- every visit to the stage has ended. Skipped visits are left out.
stage_durations as (
    select
        opportunity_id,
        canonical_stage,
        sum(duration_days) as days_in_stage,
        max(exited_date) as last_exited_date
    from fct_opportunity_stage_intervals
    where
        is_open
        and not is_skipped
    group by
        opportunity_id,
        canonical_stage
    having count(*) = count(exited_at)
),

durations_by_period as (
    select
        int_pipeline_periods_spined.grain,
        int_pipeline_periods_spined.period_start,
        stage_durations.canonical_stage,
        count(*) as opportunities_left_stage,
        sum(stage_durations.days_in_stage) as days_in_stage
    from stage_durations
    inner join int_pipeline_periods_spined
        on stage_durations.last_exited_date = int_pipeline_periods_spined.business_date
    group by
        int_pipeline_periods_spined.grain,
        int_pipeline_periods_spined.period_start,
        stage_durations.canonical_stage
),

-- First entry into each open stage, skipped visits included, and whether the
-- opportunity ever reached a later open or won stage.
stage_reach as (
    select
        reached.opportunity_id,
        reached.canonical_stage,
        min(reached.entered_date) as first_entered_date,
        max(case when later.opportunity_id is not null then 1 else 0 end) as has_advanced
    from fct_opportunity_stage_intervals as reached
    left join fct_opportunity_stage_intervals as later
        on
            reached.opportunity_id = later.opportunity_id
            and reached.stage_order < later.stage_order
            and (later.is_open or later.is_won)
    where reached.is_open
    group by
        reached.opportunity_id,
        reached.canonical_stage
),

conversion_by_period as (
    select
        int_pipeline_periods_spined.grain,
        int_pipeline_periods_spined.period_start,
        stage_reach.canonical_stage,
        count(*) as reached_count,
        sum(stage_reach.has_advanced) as advanced_count
    from stage_reach
    inner join int_pipeline_periods_spined
        on stage_reach.first_entered_date = int_pipeline_periods_spined.business_date
    group by
        int_pipeline_periods_spined.grain,
        int_pipeline_periods_spined.period_start,
        stage_reach.canonical_stage
),

stage_inputs as (
    select
        period_stages.grain,
        period_stages.period_start,
        period_stages.dimension_name,
        period_stages.dimension_value,
        coalesce(durations_by_period.opportunities_left_stage, 0) as opportunities_left_stage,
        coalesce(durations_by_period.days_in_stage, 0) as days_in_stage,
        coalesce(conversion_by_period.reached_count, 0) as reached_count,
        coalesce(conversion_by_period.advanced_count, 0) as advanced_count
    from period_stages
    left join durations_by_period
        on
            period_stages.grain = durations_by_period.grain
            and period_stages.period_start = durations_by_period.period_start
            and period_stages.dimension_value = durations_by_period.canonical_stage
    left join conversion_by_period
        on
            period_stages.grain = conversion_by_period.grain
            and period_stages.period_start = conversion_by_period.period_start
            and period_stages.dimension_value = conversion_by_period.canonical_stage
)

select * from stage_inputs
