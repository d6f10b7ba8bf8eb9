-- One row per grain, period and dimension value with pipeline velocity and
-- its trailing inputs at the period's end. Each segment's velocity is
-- computed from its own inputs (docs block metric_pipeline_velocity) and the
-- segments are then summed, for the total and within every owner and channel.
{%- set window_days = var('gtm_pipeline_velocity_window_days') | int %}

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

period_ends as (
    select distinct
        grain,
        period_start,
        period_end
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
        period_ends.grain,
        period_ends.period_start,
        dimension_values.dimension_name,
        dimension_values.dimension_value
    from period_ends
    cross join dimension_values
),

-- Qualified open opportunities at period end, per dimension value and segment.
qualified_open as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        coalesce(segment, '(unknown)') as segment_key,
        count(*) as qualified_open_count
    from (
        {{ gtm_pipeline_dimension_rows(
            'int_pipeline_open_opportunities_snapshotted',
            ['grain', 'period_start', 'opportunity_id', 'segment', 'is_qualified']
        ) }}
    ) as open_dimensions
    where is_qualified
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value,
        coalesce(segment, '(unknown)')
),

closed_dimensions as (
    {{ gtm_pipeline_dimension_rows(
        'fct_opportunities',
        ['opportunity_id', 'segment', 'is_open', 'close_date', 'is_won', 'amount_reporting', 'sales_cycle_days']
    ) }}
),

-- Deals closed in the window of {{ window_days }} days ending on period_end.
trailing_closed as (
    select
        period_ends.grain,
        period_ends.period_start,
        closed_dimensions.dimension_name,
        closed_dimensions.dimension_value,
        coalesce(closed_dimensions.segment, '(unknown)') as segment_key,
        closed_dimensions.is_won,
        case when closed_dimensions.is_won then closed_dimensions.amount_reporting end as won_amount,
        case when closed_dimensions.is_won then closed_dimensions.sales_cycle_days end as won_sales_cycle_days
    from period_ends
    inner join closed_dimensions
        on
            period_ends.period_end >= closed_dimensions.close_date
            and {{ dbt.dateadd('day', -window_days, 'period_ends.period_end') }} < closed_dimensions.close_date
    where closed_dimensions.is_open = false
),

trailing_by_segment as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        segment_key,
        count(*) as closed_count,
        sum(case when is_won then 1 else 0 end) as won_count,
        sum(won_amount) as won_amount,
        count(won_amount) as won_with_amount_count,
        sum(won_sales_cycle_days) as won_sales_cycle_days,
        count(won_sales_cycle_days) as won_with_sales_cycle_count
    from trailing_closed
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value,
        segment_key
),

segment_keys as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        segment_key
    from qualified_open

    union

    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        segment_key
    from trailing_by_segment
),

-- Velocity of one segment within one dimension value: 0 without qualified
-- open deals or without wins, null when no deal closed in the window or the
-- average cycle is 0 days.
segment_velocity as (
    select
        segment_keys.grain,
        segment_keys.period_start,
        segment_keys.dimension_name,
        segment_keys.dimension_value,
        segment_keys.segment_key,
        coalesce(qualified_open.qualified_open_count, 0) as qualified_open_count,
        coalesce(trailing_by_segment.closed_count, 0) as closed_count,
        coalesce(trailing_by_segment.won_count, 0) as won_count,
        coalesce(trailing_by_segment.won_amount, 0) as won_amount,
        coalesce(trailing_by_segment.won_with_amount_count, 0) as won_with_amount_count,
        coalesce(trailing_by_segment.won_sales_cycle_days, 0) as won_sales_cycle_days,
        coalesce(trailing_by_segment.won_with_sales_cycle_count, 0) as won_with_sales_cycle_count,
        case
            when coalesce(qualified_open.qualified_open_count, 0) = 0 then 0
            when coalesce(trailing_by_segment.closed_count, 0) = 0 then null
            when trailing_by_segment.won_count = 0 then 0
            when
                trailing_by_segment.won_with_amount_count = 0
                or coalesce(trailing_by_segment.won_sales_cycle_days, 0) = 0
                then null
            else
                qualified_open.qualified_open_count
                * {{ gtm_pipeline_safe_divide('trailing_by_segment.won_count', 'trailing_by_segment.closed_count') }}
                * {{ gtm_pipeline_safe_divide(
                    'trailing_by_segment.won_amount', 'trailing_by_segment.won_with_amount_count'
                ) }}
                / {{ gtm_pipeline_safe_divide(
                    'trailing_by_segment.won_sales_cycle_days', 'trailing_by_segment.won_with_sales_cycle_count'
                ) }}
        end as velocity
    from segment_keys
    left join qualified_open
        on
            segment_keys.grain = qualified_open.grain
            and segment_keys.period_start = qualified_open.period_start
            and segment_keys.dimension_name = qualified_open.dimension_name
            and segment_keys.dimension_value = qualified_open.dimension_value
            and segment_keys.segment_key = qualified_open.segment_key
    left join trailing_by_segment
        on
            segment_keys.grain = trailing_by_segment.grain
            and segment_keys.period_start = trailing_by_segment.period_start
            and segment_keys.dimension_name = trailing_by_segment.dimension_name
            and segment_keys.dimension_value = trailing_by_segment.dimension_value
            and segment_keys.segment_key = trailing_by_segment.segment_key
),

-- Segments summed; the pooled trailing inputs are kept for their own metrics.
velocity_by_period as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(velocity) as velocity,
        count(velocity) as defined_segments,
        sum(closed_count) as closed_count,
        sum(won_count) as won_count,
        sum(won_amount) as won_amount,
        sum(won_with_amount_count) as won_with_amount_count,
        sum(won_sales_cycle_days) as won_sales_cycle_days,
        sum(won_with_sales_cycle_count) as won_with_sales_cycle_count
    from segment_velocity
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

velocity_inputs as (
    select
        period_dimensions.grain,
        period_dimensions.period_start,
        period_dimensions.dimension_name,
        period_dimensions.dimension_value,
        case
            when velocity_by_period.grain is null then 0
            else velocity_by_period.velocity
        end as velocity,
        coalesce(velocity_by_period.closed_count, 0) as closed_count,
        coalesce(velocity_by_period.won_count, 0) as won_count,
        coalesce(velocity_by_period.won_amount, 0) as won_amount,
        coalesce(velocity_by_period.won_with_amount_count, 0) as won_with_amount_count,
        coalesce(velocity_by_period.won_sales_cycle_days, 0) as won_sales_cycle_days,
        coalesce(velocity_by_period.won_with_sales_cycle_count, 0) as won_with_sales_cycle_count
    from period_dimensions
    left join velocity_by_period
        on
            period_dimensions.grain = velocity_by_period.grain
            and period_dimensions.period_start = velocity_by_period.period_start
            and period_dimensions.dimension_name = velocity_by_period.dimension_name
            and period_dimensions.dimension_value = velocity_by_period.dimension_value
)

select * from velocity_inputs
