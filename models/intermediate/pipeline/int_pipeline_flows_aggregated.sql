-- One row per grain, period and dimension value with the inputs of the
-- metrics counted by event date: created pipeline (by created date), and
-- bookings, win rates, deal size, sales cycle and lead-to-close (by close
-- date). Counts and sums are 0 in a period without deals; medians are null.

with

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

int_pipeline_periods_spined as (
    select * from {{ ref('int_pipeline_periods_spined') }}
),

opportunity_dimensions as (
    {{ gtm_pipeline_dimension_rows('fct_opportunities', ['opportunity_id']) }}
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
    from opportunity_dimensions
),

-- Every period with every dimension value, so empty periods report zero.
period_dimensions as (
    select
        periods.grain,
        periods.period_start,
        dimension_values.dimension_name,
        dimension_values.dimension_value
    from periods
    cross join dimension_values
),

-- One row per opportunity, grain and dimension value, in the period of its
-- created date.
created_opportunities as (
    select
        int_pipeline_periods_spined.grain,
        int_pipeline_periods_spined.period_start,
        opportunity_dimensions.dimension_name,
        opportunity_dimensions.dimension_value,
        fct_opportunities.amount_reporting
    from fct_opportunities
    inner join int_pipeline_periods_spined
        on fct_opportunities.created_date = int_pipeline_periods_spined.business_date
    inner join opportunity_dimensions
        on fct_opportunities.opportunity_id = opportunity_dimensions.opportunity_id
),

created_by_period as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as created_count,
        sum(amount_reporting) as created_amount
    from created_opportunities
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

-- One row per closed opportunity, grain and dimension value, in the period
-- of its close date.
closed_opportunities as (
    select
        int_pipeline_periods_spined.grain,
        int_pipeline_periods_spined.period_start,
        opportunity_dimensions.dimension_name,
        opportunity_dimensions.dimension_value,
        fct_opportunities.is_won,
        fct_opportunities.amount_reporting,
        case when fct_opportunities.is_won then fct_opportunities.amount_reporting end as won_amount,
        case when fct_opportunities.is_won then fct_opportunities.sales_cycle_days end as won_sales_cycle_days,
        case when fct_opportunities.is_won then fct_opportunities.lead_to_close_days end as won_lead_to_close_days
    from fct_opportunities
    inner join int_pipeline_periods_spined
        on fct_opportunities.close_date = int_pipeline_periods_spined.business_date
    inner join opportunity_dimensions
        on fct_opportunities.opportunity_id = opportunity_dimensions.opportunity_id
    where fct_opportunities.is_open = false
),

closed_by_period as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(case when is_won then 1 else 0 end) as won_count,
        count(*) as closed_count,
        sum(won_amount) as won_amount,
        count(won_amount) as won_with_amount_count,
        sum(amount_reporting) as closed_amount,
        percentile_cont(0.5) within group (order by won_amount) as won_amount_median,
        sum(won_sales_cycle_days) as won_sales_cycle_days,
        count(won_sales_cycle_days) as won_with_sales_cycle_count,
        percentile_cont(0.5) within group (order by won_sales_cycle_days) as won_sales_cycle_days_median,
        sum(won_lead_to_close_days) as won_lead_to_close_days,
        count(won_lead_to_close_days) as won_with_lead_to_close_count,
        percentile_cont(0.5) within group (order by won_lead_to_close_days) as won_lead_to_close_days_median
    from closed_opportunities
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

flow_inputs as (
    select
        period_dimensions.grain,
        period_dimensions.period_start,
        period_dimensions.dimension_name,
        period_dimensions.dimension_value,
        coalesce(created_by_period.created_count, 0) as created_count,
        coalesce(created_by_period.created_amount, 0) as created_amount,
        coalesce(closed_by_period.won_count, 0) as won_count,
        coalesce(closed_by_period.closed_count, 0) as closed_count,
        coalesce(closed_by_period.closed_count, 0) - coalesce(closed_by_period.won_count, 0) as lost_count,
        coalesce(closed_by_period.won_amount, 0) as won_amount,
        coalesce(closed_by_period.won_with_amount_count, 0) as won_with_amount_count,
        coalesce(closed_by_period.closed_amount, 0) as closed_amount,
        closed_by_period.won_amount_median,
        closed_by_period.won_sales_cycle_days,
        coalesce(closed_by_period.won_with_sales_cycle_count, 0) as won_with_sales_cycle_count,
        closed_by_period.won_sales_cycle_days_median,
        closed_by_period.won_lead_to_close_days,
        coalesce(closed_by_period.won_with_lead_to_close_count, 0) as won_with_lead_to_close_count,
        closed_by_period.won_lead_to_close_days_median
    from period_dimensions
    left join created_by_period
        on
            period_dimensions.grain = created_by_period.grain
            and period_dimensions.period_start = created_by_period.period_start
            and period_dimensions.dimension_name = created_by_period.dimension_name
            and period_dimensions.dimension_value = created_by_period.dimension_value
    left join closed_by_period
        on
            period_dimensions.grain = closed_by_period.grain
            and period_dimensions.period_start = closed_by_period.period_start
            and period_dimensions.dimension_name = closed_by_period.dimension_name
            and period_dimensions.dimension_value = closed_by_period.dimension_value
)

select * from flow_inputs
