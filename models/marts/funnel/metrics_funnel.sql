{#- Funnel metrics in the project's long shape (see CONTRIBUTING.md). Three
    families, each defined in a docs block of _funnel__docs.md:
    - period counts of people, by the business date the stage was reached,
      at every grain of gtm_grains(), zero-filled from the first lead's
      period to the as-of date;
    - days between stages (median and mean), by the date of the later stage,
      only for periods with at least one person;
    - cohort rates, by the month the lead was created (grain month), from
      fct_funnel_cohorts, null while a cohort is incomplete. -#}

{#- (metric_name, metric_version, date column, condition on the person) -#}
{%- set count_metrics = [
    ('new_leads', 1, 'created_date', 'true'),
    ('new_leads_without_email', 1, 'created_date', 'not live_people.has_email'),
    ('new_mqls', 1, 'mql_v1_date', 'live_people.is_mql_v1'),
    ('new_mqls', 2, 'mql_date', 'live_people.is_mql'),
    ('new_mqls_raw', 1, 'mql_v1_date', 'live_people.is_mql_v1 and not live_people.is_mql_v1_implied'),
    ('new_mqls_raw', 2, 'mql_date', 'live_people.is_mql and not live_people.is_mql_implied'),
    ('new_sqls', 1, 'sql_date', 'live_people.is_sql'),
    ('new_sqls_raw', 1, 'sql_date', 'live_people.is_sql and not live_people.is_sql_implied'),
    ('leads_converted', 1, 'opportunity_date', 'live_people.is_opportunity'),
    ('leads_won', 1, 'won_date', 'live_people.is_won'),
] -%}
{#- (interval name, metric_version, date column of the later stage, days column) -#}
{%- set interval_metrics = [
    ('days_lead_to_mql', 1, 'mql_v1_date', 'days_lead_to_mql_v1'),
    ('days_lead_to_mql', 2, 'mql_date', 'days_lead_to_mql'),
    ('days_mql_to_sql', 1, 'sql_date', 'days_mql_v1_to_sql'),
    ('days_mql_to_sql', 2, 'sql_date', 'days_mql_to_sql'),
    ('days_sql_to_opportunity', 1, 'opportunity_date', 'days_sql_to_opportunity'),
    ('days_opportunity_to_won', 1, 'won_date', 'days_opportunity_to_won'),
    ('days_first_touch_to_won', 1, 'won_date', 'days_first_touch_to_won'),
] -%}
{#- (metric_name, metric_version, numerator column, denominator column) -#}
{%- set cohort_metrics = [
    ('cohort_mql_rate', 1, 'mqls_v1', 'leads'),
    ('cohort_mql_rate', 2, 'mqls', 'leads'),
    ('cohort_sql_rate', 1, 'sqls', 'leads'),
    ('cohort_conversion_rate', 1, 'opportunities', 'leads'),
    ('cohort_won_rate', 1, 'won', 'leads'),
    ('cohort_mql_to_sql_rate', 1, 'sqls', 'mqls_v1'),
    ('cohort_mql_to_sql_rate', 2, 'sqls', 'mqls'),
    ('cohort_sql_to_opportunity_rate', 1, 'opportunities', 'sqls'),
    ('cohort_opportunity_to_won_rate', 1, 'won', 'opportunities'),
] -%}

with

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

fct_funnel_cohorts as (
    select * from {{ ref('fct_funnel_cohorts') }}
),

as_of as (
    select max(as_of_date) as as_of_date
    from fct_funnel_cohorts
),

live_people as (
    select fct_lead_lifecycle.*
    from fct_lead_lifecycle
    where not fct_lead_lifecycle.is_deleted
),

-- One row per person and count metric whose stage the person reached on or
-- before the as-of date.
count_events as (
    {%- for metric_name, metric_version, date_column, condition in count_metrics %}
        select
            '{{ metric_name }}' as metric_name,
            {{ metric_version }} as metric_version,
            live_people.{{ date_column }} as event_date,
            live_people.source_channel,
            live_people.campaign,
            live_people.segment
        from live_people
        cross join as_of
        where
            {{ condition }}
            and live_people.{{ date_column }} <= as_of.as_of_date
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

-- One row per person and interval metric measured on or before the as-of
-- date.
interval_events as (
    {%- for interval_name, metric_version, date_column, days_column in interval_metrics %}
        select
            '{{ interval_name }}' as interval_name,
            {{ metric_version }} as metric_version,
            live_people.{{ date_column }} as event_date,
            cast(live_people.{{ days_column }} as double precision) as interval_days,
            live_people.source_channel,
            live_people.campaign,
            live_people.segment
        from live_people
        cross join as_of
        where
            live_people.{{ days_column }} is not null
            and live_people.{{ date_column }} <= as_of.as_of_date
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

count_events_dimensioned as (
    {%- for dimension_name, dimension_column in funnel_dimensions() %}
        select
            metric_name,
            metric_version,
            event_date,
            '{{ dimension_name }}' as dimension_name,
            coalesce(cast({{ dimension_column }} as {{ dbt.type_string() }}), '(unknown)') as dimension_value
        from count_events
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

interval_events_dimensioned as (
    {%- for dimension_name, dimension_column in funnel_dimensions() %}
        select
            interval_name,
            metric_version,
            event_date,
            interval_days,
            '{{ dimension_name }}' as dimension_name,
            coalesce(cast({{ dimension_column }} as {{ dbt.type_string() }}), '(unknown)') as dimension_value
        from interval_events
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

-- Day numbers 0 to 99,999 (about 270 years), to build the period spine.
digits as (
    {%- for digit in range(10) %}
        select {{ digit }} as digit{{ ' union all' if not loop.last }}
    {%- endfor %}
),

day_numbers as (
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands
),

spine_bounds as (
    select
        min(live_people.created_date) as first_date,
        as_of.as_of_date
    from live_people
    cross join as_of
    group by as_of.as_of_date
),

spine_days as (
    select cast({{ dbt.dateadd('day', 'day_numbers.day_number', 'spine_bounds.first_date') }} as date) as spine_date
    from spine_bounds
    inner join day_numbers
        on day_numbers.day_number <= spine_bounds.as_of_date - spine_bounds.first_date
),

spine_periods as (
    {%- for grain in gtm_grains() %}
        select distinct
            '{{ grain }}' as grain,
            {{ gtm_period_start('spine_date', grain) }} as period_start
        from spine_days
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

spine_dimensions as (
    select distinct
        dimension_name,
        dimension_value
    from count_events_dimensioned
    where metric_name = 'new_leads'
),

count_metric_list as (
    {%- for metric_name, metric_version, date_column, condition in count_metrics %}
        select
            '{{ metric_name }}' as metric_name,
            {{ metric_version }} as metric_version
        {%- if not loop.last %}
            union all
        {% endif -%}
    {%- endfor %}
),

count_spine as (
    select
        count_metric_list.metric_name,
        count_metric_list.metric_version,
        spine_periods.grain,
        spine_periods.period_start,
        spine_dimensions.dimension_name,
        spine_dimensions.dimension_value
    from count_metric_list
    cross join spine_periods
    cross join spine_dimensions
),

counts_by_period as (
    {%- for grain in gtm_grains() %}
        select
            metric_name,
            metric_version,
            '{{ grain }}' as grain,
            {{ gtm_period_start('event_date', grain) }} as period_start,
            dimension_name,
            dimension_value,
            count(*) as people
        from count_events_dimensioned
        group by
            metric_name,
            metric_version,
            {{ gtm_period_start('event_date', grain) }},
            dimension_name,
            dimension_value
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

-- Zero-fill: every spine row adds 0 to its key, so periods without events
-- report 0. A union and a sum avoid a six-column outer join, which
-- PostgreSQL 15 planned as a nested comparison of every row pair.
counts_with_zeros as (
    select
        metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        people
    from counts_by_period

    union all

    select
        metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        0 as people
    from count_spine
),

count_metric_rows as (
    select
        metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        cast(sum(people) as double precision) as value,  -- noqa: RF04
        cast(null as double precision) as numerator,
        cast(null as double precision) as denominator,
        'count' as unit
    from counts_with_zeros
    group by
        metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value
),

intervals_by_period as (
    {%- for grain in gtm_grains() %}
        select
            interval_name,
            metric_version,
            '{{ grain }}' as grain,
            {{ gtm_period_start('event_date', grain) }} as period_start,
            dimension_name,
            dimension_value,
            percentile_cont(0.5) within group (order by interval_days) as median_days,
            sum(interval_days) as total_days,
            count(*) as people
        from interval_events_dimensioned
        group by
            interval_name,
            metric_version,
            {{ gtm_period_start('event_date', grain) }},
            dimension_name,
            dimension_value
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

interval_metric_rows as (
    select
        'median_' || interval_name as metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        cast(median_days as double precision) as value,  -- noqa: RF04
        cast(null as double precision) as numerator,
        cast(null as double precision) as denominator,
        'days' as unit
    from intervals_by_period

    union all

    select
        'mean_' || interval_name as metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        cast(total_days as double precision) / people as value,  -- noqa: RF04
        cast(total_days as double precision) as numerator,
        cast(people as double precision) as denominator,
        'days' as unit
    from intervals_by_period
),

cohort_metric_rows as (
    {%- for metric_name, metric_version, numerator_column, denominator_column in cohort_metrics %}
        select
            '{{ metric_name }}' as metric_name,
            {{ metric_version }} as metric_version,
            'month' as grain,
            cohort_month as period_start,
            dimension_name,
            dimension_value,
            case
                when is_complete and {{ denominator_column }} > 0
                    then cast({{ numerator_column }} as double precision) / {{ denominator_column }}
            end as value,  -- noqa: RF04
            case when is_complete then cast({{ numerator_column }} as double precision) end as numerator,
            case when is_complete then cast({{ denominator_column }} as double precision) end as denominator,
            'ratio' as unit
        from fct_funnel_cohorts
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

metrics as (
    select * from count_metric_rows
    union all
    select * from interval_metric_rows
    union all
    select * from cohort_metric_rows
),

metrics_typed as (
    select
        cast(metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(metric_version as integer) as metric_version,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(dimension_name as {{ dbt.type_string() }}) as dimension_name,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        value,
        numerator,
        denominator,
        cast(unit as {{ dbt.type_string() }}) as unit
    from metrics
)

select * from metrics_typed
