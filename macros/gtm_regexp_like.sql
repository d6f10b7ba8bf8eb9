{#- True when the whole of `expression` matches the regular expression
    `pattern` (write the pattern with ^ and $ anchors). -#}
{% macro gtm_regexp_like(expression, pattern) -%}
    {{ return(adapter.dispatch('gtm_regexp_like', 'gtm_metrics')(expression, pattern)) }}
{%- endmacro %}

{% macro default__gtm_regexp_like(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{#- DuckDB has no ~ operator for strings. -#}
{% macro duckdb__gtm_regexp_like(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Spark spells the operator rlike. -#}
{% macro spark__gtm_regexp_like(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}
