{#- Cast `expression` to `data_type` for a value that already matched the
    contract's syntax. A value can match and still be out of range
    (2024-02-30, an integer above bigint): DuckDB and Spark return null for
    it through try_cast. -#}
{% macro gtm_guarded_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('gtm_guarded_cast', 'gtm_metrics')(expression, data_type)) }}
{%- endmacro %}

{#- NOTE: PostgreSQL has no try_cast, so an impossible calendar date such as
    2024-02-30 aborts the query there; the loader rejects such values before
    they reach the warehouse. -#}
{% macro default__gtm_guarded_cast(expression, data_type) -%}
    cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro duckdb__gtm_guarded_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__gtm_guarded_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
