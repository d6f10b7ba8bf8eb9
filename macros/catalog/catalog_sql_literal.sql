{#- A SQL string literal of `value`, or null for none. -#}
{% macro catalog_sql_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ dbt.escape_single_quotes(value | string) }}'
    {%- endif -%}
{%- endmacro %}
