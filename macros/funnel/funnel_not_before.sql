{#- `value` moved forward to `floor` when it is earlier; null stays null. -#}
{% macro funnel_not_before(value, floor) -%}
    case
        when {{ value }} is null then null
        when {{ value }} < {{ floor }} then {{ floor }}
        else {{ value }}
    end
{%- endmacro %}
