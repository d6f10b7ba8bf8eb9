-- One row per grain and business date, from the first opportunity's created
-- date to the as-of date, with the period the date falls in. period_end is
-- the period's last business date, or the as-of date for the period that
-- contains it.
{%- set grains = ['week', 'month', 'quarter', 'fiscal_quarter', 'year', 'fiscal_year'] %}

with

int_opportunities_resolved as (
    select * from {{ ref('int_opportunities_resolved') }}
),

bounds as (
    select
        min(created_date) as first_date,
        max(as_of_date) as as_of_date
    from int_opportunities_resolved
),

digits as (
    {%- for digit in range(10) %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select {{ digit }} as digit
    {%- endfor %}
),

-- 0 to 99,999 days, enough for 273 years of history.
day_offsets as (
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands
),

business_days as (
    select cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'bounds.first_date') }} as date) as business_date
    from day_offsets
    cross join bounds
    where day_offsets.day_offset <= {{ dbt.datediff('bounds.first_date', 'bounds.as_of_date', 'day') }}
),

period_days as (
    {%- for grain in grains %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ grain }}' as grain,
            business_date,
            {{ gtm_period_start('business_date', grain) }} as period_start
        from business_days
    {%- endfor %}
),

periods_spined as (
    select
        grain,
        business_date,
        period_start,
        max(business_date) over (partition by grain, period_start) as period_end
    from period_days
)

select * from periods_spined
