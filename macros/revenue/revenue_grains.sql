{#- Grains the revenue period tables and metrics are published at. -#}
{% macro revenue_grains() -%}
    {{ return(['month', 'quarter', 'fiscal_quarter', 'year']) }}
{%- endmacro %}

{#- Dimensions of the revenue period tables: name and the column of
    int_revenue_account_periods_summarized that holds the value. -#}
{% macro revenue_dimensions() -%}
    {{ return([
        {'name': 'all', 'column': "'all'"},
        {'name': 'segment', 'column': 'segment'},
        {'name': 'plan', 'column': 'plan'},
        {'name': 'channel', 'column': 'acquisition_channel'},
    ]) }}
{%- endmacro %}
