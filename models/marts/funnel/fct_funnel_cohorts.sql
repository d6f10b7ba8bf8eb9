{#- Lead cohorts by creation month: how many of each cohort's people reached
    each stage within var funnel_conversion_window_days of their own
    creation date, and whether the cohort is old enough to be complete.
    Stage dates never decrease along the funnel (fct_lead_lifecycle), so
    each count is at most the one before it. -#}

{%- set window_days = var('funnel_conversion_window_days') | int -%}
{%- set stages = [
    ('mqls_v1', 'is_mql_v1', 'mql_v1_date'),
    ('mqls', 'is_mql', 'mql_date'),
    ('sqls', 'is_sql', 'sql_date'),
    ('opportunities', 'is_opportunity', 'opportunity_date'),
    ('won', 'is_won', 'won_date'),
] -%}

with

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

-- Every business date a funnel event happened on; the latest is the as-of
-- date when var gtm_as_of_date is null.
funnel_dates as (
    select created_date as business_date from fct_lead_lifecycle
    union all
    select first_touch_date as business_date from fct_lead_lifecycle
    union all
    select mql_v1_date as business_date from fct_lead_lifecycle
    union all
    select sql_date as business_date from fct_lead_lifecycle
    union all
    select opportunity_date as business_date from fct_lead_lifecycle
    union all
    select won_date as business_date from fct_lead_lifecycle
    union all
    select lost_date as business_date from fct_lead_lifecycle
),

as_of as (
    select {{ gtm_as_of_date('funnel_dates', 'business_date') }} as as_of_date
),

-- Live people created on or before the as-of date, with one flag per stage
-- reached within the window and on or before the as-of date.
people_in_window as (
    select
        fct_lead_lifecycle.person_id,
        fct_lead_lifecycle.source_channel,
        fct_lead_lifecycle.campaign,
        fct_lead_lifecycle.segment,
        {{ gtm_period_start('fct_lead_lifecycle.created_date', 'month') }} as cohort_month,
        {%- for stage_name, reached_column, date_column in stages %}
            case
                when
                    fct_lead_lifecycle.{{ reached_column }}
                    and fct_lead_lifecycle.{{ date_column }} - fct_lead_lifecycle.created_date <= {{ window_days }}
                    and fct_lead_lifecycle.{{ date_column }} <= as_of.as_of_date
                    then 1
                else 0
            end as {{ stage_name }}_in_window,
        {%- endfor %}
        as_of.as_of_date
    from fct_lead_lifecycle
    cross join as_of
    where
        not fct_lead_lifecycle.is_deleted
        and fct_lead_lifecycle.created_date <= as_of.as_of_date
),

people_dimensioned as (
    {%- for dimension_name, dimension_column in funnel_dimensions() %}
        select
            people_in_window.*,
            '{{ dimension_name }}' as dimension_name,
            coalesce(cast({{ dimension_column }} as {{ dbt.type_string() }}), '(unknown)') as dimension_value
        from people_in_window
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

cohorts as (
    select
        cohort_month,
        dimension_name,
        dimension_value,
        cast(count(*) as bigint) as leads,
        {%- for stage_name, reached_column, date_column in stages %}
            cast(sum({{ stage_name }}_in_window) as bigint) as {{ stage_name }},
        {%- endfor %}
        as_of_date
    from people_dimensioned
    group by
        cohort_month,
        dimension_name,
        dimension_value,
        as_of_date
),

-- A cohort is complete once the window has passed for its last day.
cohorts_dated as (
    select
        cohorts.*,
        cast({{ dbt.dateadd(
            'day',
            window_days - 1,
            dbt.dateadd('month', 1, 'cohorts.cohort_month')
        ) }} as date) as window_end_date
    from cohorts
),

cohorts_completed as (
    select
        cohort_month,
        dimension_name,
        dimension_value,
        cast({{ window_days }} as integer) as window_days,
        window_end_date,
        as_of_date,
        window_end_date <= as_of_date as is_complete,
        case
            when window_end_date > as_of_date then 'cohort younger than the conversion window'
        end as rate_null_reason,
        leads,
        mqls_v1,
        mqls,
        sqls,
        opportunities,
        won
    from cohorts_dated
)

select * from cohorts_completed
