{#- One row per visit of an opportunity to an open stage, skipped visits
    left out, with the deal's current amount and probability: the input of
    the semantic layer's open pipeline. A deal is open at the end of a day
    when one of its visits entered on or before that day and has not exited
    by then, so MetricFlow counts it as the running total of entries minus
    the running total of exits. The rows are those
    int_pipeline_open_opportunities_snapshotted reads; nothing is aggregated
    here. -#}
with

fct_opportunity_stage_intervals as (
    select * from {{ ref('fct_opportunity_stage_intervals') }}
),

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

open_visits as (
    select
        fct_opportunity_stage_intervals.opportunity_id,
        fct_opportunity_stage_intervals.stage_visit_number,
        fct_opportunity_stage_intervals.canonical_stage,
        coalesce(fct_opportunity_stage_intervals.is_qualified, false) as is_qualified,
        fct_opportunity_stage_intervals.entered_date,
        fct_opportunity_stage_intervals.exited_date,
        fct_opportunities.amount_reporting,
        fct_opportunities.amount_reporting * fct_opportunities.probability as weighted_amount_reporting
    from fct_opportunity_stage_intervals
    inner join fct_opportunities
        on fct_opportunity_stage_intervals.opportunity_id = fct_opportunities.opportunity_id
    where
        fct_opportunity_stage_intervals.is_open
        and not fct_opportunity_stage_intervals.is_skipped
)

select * from open_visits
