{#- Dimensions every funnel metric is broken down by: a list of
    [dimension_name, column of fct_lead_lifecycle]. The total uses the
    constant 'all'. -#}
{% macro funnel_dimensions() -%}
    {{ return([
        ['all', "'all'"],
        ['channel', 'source_channel'],
        ['campaign', 'campaign'],
        ['segment', 'segment'],
    ]) }}
{%- endmacro %}
