-- Fails when open pipeline at the as-of date (the last period of each grain,
-- dimension all) differs from the open opportunities of fct_opportunities
-- created on or before that date. Open pipeline is read from the stage
-- intervals and the fact's is_open from the current stage, so the two must
-- agree.
with

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

metrics_pipeline as (
    select * from {{ ref('metrics_pipeline') }}
),

int_pipeline_periods_spined as (
    select * from {{ ref('int_pipeline_periods_spined') }}
),

as_of as (
    select max(business_date) as as_of_date
    from int_pipeline_periods_spined
),

expected as (
    select count(*) as open_count
    from fct_opportunities
    cross join as_of
    where
        fct_opportunities.is_open
        and fct_opportunities.created_date <= as_of.as_of_date
),

reported as (
    select
        metrics_pipeline.grain,
        metrics_pipeline.value as open_count
    from metrics_pipeline
    inner join int_pipeline_periods_spined
        on
            metrics_pipeline.grain = int_pipeline_periods_spined.grain
            and metrics_pipeline.period_start = int_pipeline_periods_spined.period_start
    cross join as_of
    where
        metrics_pipeline.metric_name = 'open_pipeline_count'
        and metrics_pipeline.dimension_name = 'all'
        and int_pipeline_periods_spined.business_date = as_of.as_of_date
)

select
    reported.grain,
    reported.open_count as reported_open_count,
    expected.open_count as expected_open_count
from reported
cross join expected
where reported.open_count <> expected.open_count
