-- Fails for every grain where a flow metric's total over all periods
-- (dimension all) differs from the same figure summed over fct_opportunities
-- in the reported date range, so money is converted and counted once, and
-- for every additive metric, grain, period and dimension whose values do
-- not add up to the total.
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

date_range as (
    select
        min(business_date) as first_date,
        max(business_date) as last_date
    from int_pipeline_periods_spined
),

expected_totals as (
    select
        'bookings_amount' as metric_name,
        cast(sum(fct_opportunities.amount_reporting) as double precision) as expected_total
    from fct_opportunities
    cross join date_range
    where
        fct_opportunities.is_won
        and fct_opportunities.close_date between date_range.first_date and date_range.last_date

    union all

    select
        'won_deals_count' as metric_name,
        cast(count(*) as double precision) as expected_total
    from fct_opportunities
    cross join date_range
    where
        fct_opportunities.is_won
        and fct_opportunities.close_date between date_range.first_date and date_range.last_date

    union all

    select
        'lost_deals_count' as metric_name,
        cast(count(*) as double precision) as expected_total
    from fct_opportunities
    cross join date_range
    where
        fct_opportunities.is_lost
        and fct_opportunities.close_date between date_range.first_date and date_range.last_date

    union all

    select
        'pipeline_created_count' as metric_name,
        cast(count(*) as double precision) as expected_total
    from fct_opportunities
    cross join date_range
    where fct_opportunities.created_date between date_range.first_date and date_range.last_date
),

reported_totals as (
    select
        metric_name,
        grain,
        sum(value) as reported_total
    from metrics_pipeline
    where dimension_name = 'all'
    group by
        metric_name,
        grain
),

total_mismatches as (
    select
        reported_totals.metric_name,
        reported_totals.grain,
        cast(null as date) as period_start,
        'all' as dimension_name,
        reported_totals.reported_total,
        expected_totals.expected_total
    from reported_totals
    inner join expected_totals
        on reported_totals.metric_name = expected_totals.metric_name
    where abs(coalesce(reported_totals.reported_total, 0) - coalesce(expected_totals.expected_total, 0)) > 0.01
),

dimension_sums as (
    select
        metric_name,
        grain,
        period_start,
        dimension_name,
        sum(value) as dimension_total
    from metrics_pipeline
    where
        dimension_name in ('segment', 'owner', 'channel')
        and metric_name in (
            'pipeline_created_count', 'pipeline_created_amount', 'bookings_amount', 'won_deals_count',
            'lost_deals_count', 'open_pipeline_count', 'open_pipeline_amount', 'qualified_open_pipeline_count'
        )
    group by
        metric_name,
        grain,
        period_start,
        dimension_name
),

dimension_mismatches as (
    select
        dimension_sums.metric_name,
        dimension_sums.grain,
        dimension_sums.period_start,
        dimension_sums.dimension_name,
        dimension_sums.dimension_total as reported_total,
        totals.value as expected_total
    from dimension_sums
    inner join metrics_pipeline as totals
        on
            dimension_sums.metric_name = totals.metric_name
            and dimension_sums.grain = totals.grain
            and dimension_sums.period_start = totals.period_start
            and totals.dimension_name = 'all'
    where abs(dimension_sums.dimension_total - totals.value) > 0.01
)

select * from total_mismatches

union all

select * from dimension_mismatches
