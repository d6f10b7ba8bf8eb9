{#- Business date of a UTC instant in the reporting time zone
    (var gtm_reporting_timezone). Instants are stored as UTC timestamps
    without time zone, so the result never depends on the session time zone. -#}
{% macro gtm_business_date(utc_timestamp) -%}
    {{ return(adapter.dispatch('gtm_business_date', 'gtm_metrics')(utc_timestamp)) }}
{%- endmacro %}

{% macro default__gtm_business_date(utc_timestamp) -%}
    {%- set zone = var('gtm_reporting_timezone') -%}
    {%- if zone | upper == 'UTC' -%}
        cast({{ utc_timestamp }} as date)
    {%- else -%}
        cast((({{ utc_timestamp }}) at time zone 'UTC') at time zone '{{ dbt.escape_single_quotes(zone) }}' as date)
    {%- endif -%}
{%- endmacro %}

{% macro spark__gtm_business_date(utc_timestamp) -%}
    to_date(from_utc_timestamp({{ utc_timestamp }}, '{{ dbt.escape_single_quotes(var("gtm_reporting_timezone")) }}'))
{%- endmacro %}

{#- First day of the period of `grain` that contains `business_date`.
    Grains: day, week (ISO, starting Monday), month, quarter, year,
    fiscal_quarter and fiscal_year (var gtm_fiscal_year_start_month). Years
    are calendar years, never ISO week-years. -#}
{% macro gtm_period_start(business_date, grain) -%}
    {%- set fiscal_start = var('gtm_fiscal_year_start_month') | int -%}
    {%- if fiscal_start < 1 or fiscal_start > 12 -%}
        {{ exceptions.raise_compiler_error(
            "var gtm_fiscal_year_start_month must be a month number from 1 to 12, got " ~ fiscal_start ~ "."
        ) }}
    {%- endif -%}
    {%- if grain == 'day' -%}
        cast({{ business_date }} as date)
    {%- elif grain in ('week', 'month', 'quarter', 'year') -%}
        cast({{ dbt.date_trunc(grain, business_date) }} as date)
    {%- elif grain in ('fiscal_quarter', 'fiscal_year') -%}
        {#- Months elapsed since the fiscal year began, 0 to 11. -#}
        {%- set months_into_year = "mod(cast(extract(month from " ~ business_date ~ ") as integer) + " ~ (12 - fiscal_start) ~ ", 12)" -%}
        {%- set months_back = ("mod(" ~ months_into_year ~ ", 3)") if grain == 'fiscal_quarter' else months_into_year -%}
        cast({{ dbt.dateadd('month', '-1 * ' ~ months_back, gtm_period_start(business_date, 'month')) }} as date)
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Unknown grain '" ~ grain ~ "'. Use one of: day, week, month, quarter, year, fiscal_quarter, fiscal_year."
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- Grains every period metric is published at. -#}
{% macro gtm_grains() -%}
    {{ return(['day', 'week', 'month', 'quarter', 'fiscal_quarter', 'year']) }}
{%- endmacro %}

{#- The "as of" date of a build: var gtm_as_of_date when set, else the
    latest business date in the given relation and column. Models never read
    the clock, so the same input gives the same output. -#}
{% macro gtm_as_of_date(fallback_relation=none, fallback_column=none) -%}
    {%- set configured = var('gtm_as_of_date') -%}
    {%- if configured -%}
        cast('{{ dbt.escape_single_quotes(configured) }}' as date)
    {%- elif fallback_relation is not none -%}
        (select max({{ fallback_column }}) from {{ fallback_relation }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("gtm_as_of_date needs var gtm_as_of_date or a fallback relation.") }}
    {%- endif -%}
{%- endmacro %}
