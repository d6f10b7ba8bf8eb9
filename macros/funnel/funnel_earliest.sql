{#- The earlier of two instants or dates, ignoring a null one; null only
    when both are null. Written as a case expression because least() treats
    nulls differently across engines. -#}
{% macro funnel_earliest(first, second) -%}
    case
        when {{ first }} is null then {{ second }}
        when {{ second }} is null then {{ first }}
        when {{ first }} <= {{ second }} then {{ first }}
        else {{ second }}
    end
{%- endmacro %}
