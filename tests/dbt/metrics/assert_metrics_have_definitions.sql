-- Fails with one row per metric name and version in `metrics` that has no
-- row in metric_definitions, or whose definition names another computing
-- model, so every number in the table has a definition an auditor can read.
with

metrics as (
    select * from {{ ref('metrics') }}
),

metric_definitions as (
    select * from {{ ref('metric_definitions') }}
),

published_versions as (
    select distinct
        metric_name,
        metric_version,
        computed_by
    from metrics
),

undefined_versions as (
    select
        published_versions.metric_name,
        published_versions.metric_version,
        published_versions.computed_by,
        metric_definitions.computed_by as defined_in
    from published_versions
    left join metric_definitions
        on
            published_versions.metric_name = metric_definitions.metric_name
            and published_versions.metric_version = metric_definitions.metric_version
    where
        metric_definitions.metric_name is null
        or metric_definitions.computed_by <> published_versions.computed_by
)

select * from undefined_versions
