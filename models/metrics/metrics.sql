{#- The union of every model in the long metric shape (CONTRIBUTING.md):
    the models listed in var catalog_metrics_models, then those in var
    catalog_extra_metrics_models (added by a project that installs this one
    as a package). The refs are rendered while dbt parses, so dbt builds
    every listed model first; a listed model that does not exist stops the
    parse with dbt's "node not found" error. Each column is cast to the
    contract type, so an area model with a narrower numeric type still
    unions. -#}
{%- set metric_models = var('catalog_metrics_models') + var('catalog_extra_metrics_models') -%}

with

{% for model_name in metric_models -%}
{{ model_name }} as (
    select * from {{ ref(model_name) }}
),

{% endfor -%}

unioned as (
    {%- for model_name in metric_models %}
    select
        cast({{ model_name }}.metric_name as {{ dbt.type_string() }}) as metric_name,
        cast({{ model_name }}.metric_version as integer) as metric_version,
        cast({{ model_name }}.grain as {{ dbt.type_string() }}) as grain,
        cast({{ model_name }}.period_start as date) as period_start,
        cast({{ model_name }}.dimension_name as {{ dbt.type_string() }}) as dimension_name,
        cast({{ model_name }}.dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast({{ model_name }}.value as double precision) as value,
        cast({{ model_name }}.numerator as double precision) as numerator,
        cast({{ model_name }}.denominator as double precision) as denominator,
        cast({{ model_name }}.unit as {{ dbt.type_string() }}) as unit,
        cast('{{ model_name }}' as {{ dbt.type_string() }}) as computed_by
    from {{ model_name }}
    {%- if not loop.last %}

    union all
    {% endif -%}
    {%- else %}
    -- No model is listed yet: an empty relation with the contract's columns.
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as integer) as metric_version,
        cast(null as {{ dbt.type_string() }}) as grain,
        cast(null as date) as period_start,
        cast(null as {{ dbt.type_string() }}) as dimension_name,
        cast(null as {{ dbt.type_string() }}) as dimension_value,
        cast(null as double precision) as value,
        cast(null as double precision) as numerator,
        cast(null as double precision) as denominator,
        cast(null as {{ dbt.type_string() }}) as unit,
        cast(null as {{ dbt.type_string() }}) as computed_by
    where 1 = 0
    {%- endfor %}
)

select * from unioned
