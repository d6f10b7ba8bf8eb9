{#- One row per calendar day from var semantic_time_spine_start_date to var
    semantic_time_spine_end_date, with the fiscal quarter and fiscal year the
    day belongs to (var gtm_fiscal_year_start_month). MetricFlow joins
    cumulative metrics to it and reads fiscal_quarter and fiscal_year from it
    as custom granularities, so a fiscal quarter is never a calendar quarter
    relabelled. The range comes from vars, never from the clock. -#}
{%- set start_date = "cast('" ~ dbt.escape_single_quotes(var('semantic_time_spine_start_date')) ~ "' as date)" -%}
{%- set end_date = "cast('" ~ dbt.escape_single_quotes(var('semantic_time_spine_end_date')) ~ "' as date)" -%}

with

spined_days as (
    {{ dbt.date_spine('day', start_date, end_date) }}
),

days as (
    select cast(spined_days.date_day as date) as date_day
    from spined_days
),

days_with_fiscal_periods as (
    select
        days.date_day,
        {{ gtm_period_start('days.date_day', 'fiscal_quarter') }} as fiscal_quarter_start_date,
        {{ gtm_period_start('days.date_day', 'fiscal_year') }} as fiscal_year_start_date
    from days
)

select * from days_with_fiscal_periods
