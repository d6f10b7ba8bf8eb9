-- Every metric and version that metrics_funnel publishes is listed under
-- config.meta.metrics of its YAML, where the catalog reads definitions.
-- Returns the unlisted ones.
{%- set listed = [] %}
{%- if execute %}
    {%- set node = graph.nodes.values() | selectattr('name', 'equalto', 'metrics_funnel') | first %}
    {%- for entry in node.config.meta.metrics %}
        {%- do listed.append(entry.name ~ '|' ~ entry.version) %}
    {%- endfor %}
{%- endif %}

with

metrics_funnel as (
    select * from {{ ref('metrics_funnel') }}
),

published as (
    select distinct
        metric_name,
        metric_version
    from metrics_funnel
),

unlisted as (
    select
        metric_name,
        metric_version
    from published
    where
        {{ dbt.concat(['metric_name', "'|'", dbt.cast('metric_version', dbt.type_string())]) }}
        not in (
            {%- for key in listed %}
                '{{ key }}',
            {%- endfor %}
            ''
        )
)

select * from unlisted
