-- Warns with one row per metric version whose rows in `metrics` carry a
-- unit other than the one its definition states. A mismatch misleads a
-- reader of the catalog but changes no number, hence a warning. A
-- currency unit is stated in config.meta.metrics as
-- "{{ '{{' }} var('gtm_reporting_currency') {{ '}}' }}", which dbt renders when it parses.
{{ config(severity='warn') }}

with

metrics as (
    select * from {{ ref('metrics') }}
),

metric_definitions as (
    select * from {{ ref('metric_definitions') }}
),

published_units as (
    select distinct
        metric_name,
        metric_version,
        unit
    from metrics
),

mismatched_units as (
    select
        published_units.metric_name,
        published_units.metric_version,
        published_units.unit as published_unit,
        metric_definitions.unit as defined_unit
    from published_units
    inner join metric_definitions
        on
            published_units.metric_name = metric_definitions.metric_name
            and published_units.metric_version = metric_definitions.metric_version
    where coalesce(metric_definitions.unit, '') <> published_units.unit
)

select * from mismatched_units
