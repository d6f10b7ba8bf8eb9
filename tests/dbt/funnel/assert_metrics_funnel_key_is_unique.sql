-- One row per metric, version, grain, period and dimension value.
with

metrics_funnel as (
    select * from {{ ref('metrics_funnel') }}
),

duplicates as (
    select
        metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as row_count
    from metrics_funnel
    group by
        metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value
    having count(*) > 1
)

select * from duplicates
