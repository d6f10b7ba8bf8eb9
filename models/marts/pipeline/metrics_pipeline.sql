-- The pipeline metrics in the project's long shape: one row per metric,
-- version, grain, period and dimension value. Each metric's definition is
-- the docs block metric_<metric_name>; the aggregated inputs come from the
-- int_pipeline_*_aggregated models.
{%- set currency = dbt.escape_single_quotes(var('gtm_reporting_currency')) %}

with

int_pipeline_flows_aggregated as (
    select * from {{ ref('int_pipeline_flows_aggregated') }}
),

int_pipeline_snapshots_aggregated as (
    select * from {{ ref('int_pipeline_snapshots_aggregated') }}
),

int_pipeline_velocity_aggregated as (
    select * from {{ ref('int_pipeline_velocity_aggregated') }}
),

int_pipeline_stages_aggregated as (
    select * from {{ ref('int_pipeline_stages_aggregated') }}
),

flow_metrics as (
    {{ gtm_pipeline_metric_rows('int_pipeline_flows_aggregated', 'pipeline_created_count', 'count', 'created_count') }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'pipeline_created_amount', currency, 'created_amount'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows('int_pipeline_flows_aggregated', 'bookings_amount', currency, 'won_amount') }}

    union all

    {{ gtm_pipeline_metric_rows('int_pipeline_flows_aggregated', 'won_deals_count', 'count', 'won_count') }}

    union all

    {{ gtm_pipeline_metric_rows('int_pipeline_flows_aggregated', 'lost_deals_count', 'count', 'lost_count') }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'win_rate_count', 'ratio',
        gtm_pipeline_safe_divide('won_count', 'closed_count'), 'won_count', 'closed_count'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'win_rate_amount', 'ratio',
        gtm_pipeline_safe_divide('won_amount', 'closed_amount'), 'won_amount', 'closed_amount'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'avg_won_deal_size', currency,
        gtm_pipeline_safe_divide('won_amount', 'won_with_amount_count'), 'won_amount', 'won_with_amount_count'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'median_won_deal_size', currency, 'won_amount_median'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'sales_cycle_days_avg', 'days',
        gtm_pipeline_safe_divide('won_sales_cycle_days', 'won_with_sales_cycle_count'),
        'won_sales_cycle_days', 'won_with_sales_cycle_count'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'sales_cycle_days_median', 'days', 'won_sales_cycle_days_median'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'lead_to_close_days_avg', 'days',
        gtm_pipeline_safe_divide('won_lead_to_close_days', 'won_with_lead_to_close_count'),
        'won_lead_to_close_days', 'won_with_lead_to_close_count'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_flows_aggregated', 'lead_to_close_days_median', 'days', 'won_lead_to_close_days_median'
    ) }}
),

snapshot_metrics as (
    {{ gtm_pipeline_metric_rows('int_pipeline_snapshots_aggregated', 'open_pipeline_count', 'count', 'open_count') }}

    union all

    {{ gtm_pipeline_metric_rows('int_pipeline_snapshots_aggregated', 'open_pipeline_amount', currency, 'open_amount') }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_snapshots_aggregated', 'open_pipeline_weighted_amount', currency, 'open_weighted_amount'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_snapshots_aggregated', 'qualified_open_pipeline_count', 'count', 'qualified_open_count'
    ) }}
),

velocity_metrics as (
    {{ gtm_pipeline_metric_rows(
        'int_pipeline_velocity_aggregated', 'pipeline_velocity', currency ~ ' per day', 'velocity'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_velocity_aggregated', 'pipeline_velocity_win_rate', 'ratio',
        gtm_pipeline_safe_divide('won_count', 'closed_count'), 'won_count', 'closed_count'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_velocity_aggregated', 'pipeline_velocity_avg_won_deal_size', currency,
        gtm_pipeline_safe_divide('won_amount', 'won_with_amount_count'), 'won_amount', 'won_with_amount_count'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_velocity_aggregated', 'pipeline_velocity_sales_cycle_days', 'days',
        gtm_pipeline_safe_divide('won_sales_cycle_days', 'won_with_sales_cycle_count'),
        'won_sales_cycle_days', 'won_with_sales_cycle_count'
    ) }}
),

stage_metrics as (
    {{ gtm_pipeline_metric_rows(
        'int_pipeline_stages_aggregated', 'days_in_stage_avg', 'days',
        gtm_pipeline_safe_divide('days_in_stage', 'opportunities_left_stage'),
        'days_in_stage', 'opportunities_left_stage'
    ) }}

    union all

    {{ gtm_pipeline_metric_rows(
        'int_pipeline_stages_aggregated', 'stage_conversion_rate', 'ratio',
        gtm_pipeline_safe_divide('advanced_count', 'reached_count'), 'advanced_count', 'reached_count'
    ) }}
),

metrics_pipeline as (
    select * from flow_metrics

    union all

    select * from snapshot_metrics

    union all

    select * from velocity_metrics

    union all

    select * from stage_metrics
)

select * from metrics_pipeline
