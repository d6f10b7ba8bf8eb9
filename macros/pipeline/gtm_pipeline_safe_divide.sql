{#- numerator / denominator as double precision, null when the denominator is
    null or not positive, so no metric is ever NaN or infinite. -#}
{% macro gtm_pipeline_safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} > 0
            then cast({{ numerator }} as double precision) / cast({{ denominator }} as double precision)
    end
{%- endmacro %}
