{#- Post-hook for a versioned model: when the model being built is its
    latest version, (re)create a view named after the unversioned model
    (fct_mqls for fct_mqls_v2) that selects from it, so a BI tool can
    follow the latest version while another pins fct_mqls_v<n>. -#}
{% macro funnel_create_latest_version_view() %}
    {%- if model.get('version') is not none and model.get('version') == model.get('latest_version') -%}
        {%- set view_relation = api.Relation.create(
            database=this.database,
            schema=this.schema,
            identifier=model['name'],
            type='view'
        ) -%}
        {%- set existing = adapter.get_relation(this.database, this.schema, model['name']) -%}
        {%- if existing is not none -%}
            {% do adapter.drop_relation(existing) %}
        {%- endif -%}
        create view {{ view_relation }} as select * from {{ this }}
    {%- else -%}
        select 1 as no_latest_version_view
    {%- endif -%}
{% endmacro %}
