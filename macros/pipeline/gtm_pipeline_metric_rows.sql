{#- One long-shape metric row per row of `relation`, which must have grain,
    period_start, dimension_name and dimension_value. `value`, `numerator`
    and `denominator` are SQL expressions over `relation`; a ratio's value is
    null when its denominator is not positive. -#}
{% macro gtm_pipeline_metric_rows(relation, metric_name, unit, value, numerator=none, denominator=none) -%}
    select
        cast('{{ metric_name }}' as {{ dbt.type_string() }}) as metric_name,
        cast(1 as integer) as metric_version,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(dimension_name as {{ dbt.type_string() }}) as dimension_name,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast({{ value }} as double precision) as value,
        cast({{ numerator if numerator is not none else 'null' }} as double precision) as numerator,
        cast({{ denominator if denominator is not none else 'null' }} as double precision) as denominator,
        cast('{{ unit }}' as {{ dbt.type_string() }}) as unit
    from {{ relation }}
{%- endmacro %}
