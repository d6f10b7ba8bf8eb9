-- One row per grain, period and dimension value with open pipeline at the
-- period's end: count, amount, probability-weighted amount and qualified
-- count; 0 when nothing is open.

with

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

int_pipeline_open_opportunities_snapshotted as (
    select * from {{ ref('int_pipeline_open_opportunities_snapshotted') }}
),

int_pipeline_periods_spined as (
    select * from {{ ref('int_pipeline_periods_spined') }}
),

periods as (
    select distinct
        grain,
        period_start
    from int_pipeline_periods_spined
),

dimension_values as (
    select distinct
        dimension_name,
        dimension_value
    from (
        {{ gtm_pipeline_dimension_rows('fct_opportunities', ['opportunity_id']) }}
    ) as opportunity_dimensions
),

period_dimensions as (
    select
        periods.grain,
        periods.period_start,
        dimension_values.dimension_name,
        dimension_values.dimension_value
    from periods
    cross join dimension_values
),

open_dimensions as (
    {{ gtm_pipeline_dimension_rows(
        'int_pipeline_open_opportunities_snapshotted',
        ['grain', 'period_start', 'opportunity_id', 'is_qualified', 'amount_reporting', 'probability']
    ) }}
),

open_by_period as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as open_count,
        sum(amount_reporting) as open_amount,
        sum(amount_reporting * probability) as open_weighted_amount,
        sum(case when is_qualified then 1 else 0 end) as qualified_open_count
    from open_dimensions
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

snapshot_inputs as (
    select
        period_dimensions.grain,
        period_dimensions.period_start,
        period_dimensions.dimension_name,
        period_dimensions.dimension_value,
        coalesce(open_by_period.open_count, 0) as open_count,
        coalesce(open_by_period.open_amount, 0) as open_amount,
        coalesce(open_by_period.open_weighted_amount, 0) as open_weighted_amount,
        coalesce(open_by_period.qualified_open_count, 0) as qualified_open_count
    from period_dimensions
    left join open_by_period
        on
            period_dimensions.grain = open_by_period.grain
            and period_dimensions.period_start = open_by_period.period_start
            and period_dimensions.dimension_name = open_by_period.dimension_name
            and period_dimensions.dimension_value = open_by_period.dimension_value
)

select * from snapshot_inputs
