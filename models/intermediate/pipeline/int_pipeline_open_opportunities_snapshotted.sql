-- One row per grain, period and opportunity open at the end of the period's
-- last business date (period_end), read from the stage visits: the visit
-- entered on or before period_end and not exited by then decides the stage.
with

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

fct_opportunity_stage_intervals as (
    select * from {{ ref('fct_opportunity_stage_intervals') }}
),

int_pipeline_periods_spined as (
    select * from {{ ref('int_pipeline_periods_spined') }}
),

period_ends as (
    select distinct
        grain,
        period_start,
        period_end
    from int_pipeline_periods_spined
),

open_visits as (
    select
        opportunity_id,
        is_qualified,
        entered_date,
        exited_date
    from fct_opportunity_stage_intervals
    where
        is_open
        and not is_skipped
),

open_at_period_end as (
    select
        period_ends.grain,
        period_ends.period_start,
        period_ends.period_end,
        open_visits.opportunity_id,
        open_visits.is_qualified
    from period_ends
    inner join open_visits
        on
            period_ends.period_end >= open_visits.entered_date
            and (open_visits.exited_date is null or period_ends.period_end < open_visits.exited_date)
),

open_opportunities_snapshotted as (
    select
        open_at_period_end.grain,
        open_at_period_end.period_start,
        open_at_period_end.period_end,
        open_at_period_end.opportunity_id,
        coalesce(open_at_period_end.is_qualified, false) as is_qualified,
        fct_opportunities.segment,
        fct_opportunities.owner_id,
        fct_opportunities.source_channel,
        fct_opportunities.amount_reporting,
        fct_opportunities.probability
    from open_at_period_end
    inner join fct_opportunities
        on open_at_period_end.opportunity_id = fct_opportunities.opportunity_id
)

select * from open_opportunities_snapshotted
