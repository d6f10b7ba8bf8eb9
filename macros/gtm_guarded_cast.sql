{#- Cast `expression` to `data_type` for a value that already matched the
    contract's syntax. A value can match and still be out of range
    (2024-02-30, an integer above bigint): DuckDB and Spark return null for
    it through try_cast. -#}
{% macro gtm_guarded_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('gtm_guarded_cast', 'gtm_metrics')(expression, data_type)) }}
{%- endmacro %}

{#- PostgreSQL has no try_cast, so a date or timestamp is cast only when its
    day exists in its month (2024-02-30 and 2023-02-29 are null); the value
    starts with YYYY-MM-DD because it matched the contract's pattern. -#}
{% macro default__gtm_guarded_cast(expression, data_type) -%}
    {%- if data_type | lower in ('date', 'timestamp with time zone', dbt.type_timestamp() | lower) -%}
        case
            when cast(substring({{ expression }}, 9, 2) as integer) <= extract(day from
                make_date(
                    cast(substring({{ expression }}, 1, 4) as integer),
                    cast(substring({{ expression }}, 6, 2) as integer),
                    1
                ) + interval '1 month' - interval '1 day'
            )
                then cast({{ expression }} as {{ data_type }})
        end
    {%- else -%}
        cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__gtm_guarded_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__gtm_guarded_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
