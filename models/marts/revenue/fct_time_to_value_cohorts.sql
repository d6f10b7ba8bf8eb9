with

fct_account_time_to_value as (
    select * from {{ ref('fct_account_time_to_value') }}
),

dimensioned as (
    {%- for grain in revenue_grains() %}
        {%- set grain_loop = loop %}
        {%- for dimension_name, dimension_column in [
            ('all', "'all'"), ('segment', 'segment'), ('channel', 'acquisition_channel')
        ] %}
            {%- if not (grain_loop.first and loop.first) %}
                union all
            {%- endif %}
            select
                '{{ grain }}' as grain,
                {{ gtm_period_start('started_date', grain) }} as period_start,
                '{{ dimension_name }}' as dimension_name,
                coalesce({{ dimension_column }}, '(unknown)') as dimension_value,
                account_id,
                has_reached_value,
                days_to_value
            from fct_account_time_to_value
        {%- endfor %}
    {%- endfor %}
),

-- One row per start cohort and dimension value. Accounts that have not
-- reached value yet count in the cohort but not in the day statistics.
cohorts as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as started_accounts,
        sum(case when has_reached_value then 1 else 0 end) as reached_value_accounts,
        percentile_cont(0.5) within group (order by days_to_value) as median_days_to_value,
        avg(cast(days_to_value as double precision)) as average_days_to_value
    from dimensioned
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

final as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        cast(started_accounts as {{ dbt.type_bigint() }}) as started_accounts,
        cast(reached_value_accounts as {{ dbt.type_bigint() }}) as reached_value_accounts,
        cast(cast(reached_value_accounts as double precision) / started_accounts as decimal(18, 6))
            as reached_value_rate,
        cast(median_days_to_value as double precision) as median_days_to_value,
        cast(average_days_to_value as double precision) as average_days_to_value,
        case when reached_value_accounts = 0 then 'no account reached value' end as days_to_value_null_reason
    from cohorts
)

select * from final
