-- The pipeline metrics in the project's long shape: one row per metric,
-- version, grain, period and dimension value.
with

int_pipeline_flow_metrics_aggregated as (
    select * from {{ ref('int_pipeline_flow_metrics_aggregated') }}
),

int_pipeline_snapshot_metrics_aggregated as (
    select * from {{ ref('int_pipeline_snapshot_metrics_aggregated') }}
),

int_pipeline_velocity_metrics_aggregated as (
    select * from {{ ref('int_pipeline_velocity_metrics_aggregated') }}
),

int_pipeline_stage_metrics_aggregated as (
    select * from {{ ref('int_pipeline_stage_metrics_aggregated') }}
),

metrics_pipeline as (
    select * from int_pipeline_flow_metrics_aggregated

    union all

    select * from int_pipeline_snapshot_metrics_aggregated

    union all

    select * from int_pipeline_velocity_metrics_aggregated

    union all

    select * from int_pipeline_stage_metrics_aggregated
)

select * from metrics_pipeline
