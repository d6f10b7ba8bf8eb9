{#- Rows of `relation` repeated once per reporting dimension of the pipeline
    metrics: all (value 'all'), segment, owner and channel, with a missing
    value reported as '(unknown)'. Selects `key_columns` plus dimension_name
    and dimension_value. -#}
{% macro gtm_pipeline_dimension_rows(relation, key_columns) -%}
    {%- set dimensions = [
        ('all', "'all'"),
        ('segment', 'segment'),
        ('owner', 'owner_id'),
        ('channel', 'source_channel'),
    ] -%}
    {%- for dimension_name, value_column in dimensions %}
    select
        {%- for column in key_columns %}
        {{ column }},
        {%- endfor %}
        cast('{{ dimension_name }}' as {{ dbt.type_string() }}) as dimension_name,
        cast(coalesce({{ value_column }}, '(unknown)') as {{ dbt.type_string() }}) as dimension_value
    from {{ relation }}
    {%- if not loop.last %}

    union all
    {% endif -%}
    {%- endfor %}
{%- endmacro %}
