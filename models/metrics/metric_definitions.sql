{#- One row per metric and version listed under config.meta.metrics of any
    model in the graph. The fields come from the graph when dbt compiles.
    The docs block text and the SHA-256 hashes come from var catalog_hashes,
    which gtm_metrics.catalog computes from target/manifest.json after a
    build (`gtm-metrics catalog`), because dbt's Jinja context has neither
    docs blocks nor the compiled SQL of other models. Without that var the
    hash columns are null and hash_status is "not computed". A var computed
    from other code than the code being compiled gives hash_status "stale"
    and null hashes: a model's file checksum differs, or the var's
    definition text differs from the one built here. -#}
{%- set hashes = var('catalog_hashes', none) or {} -%}
{%- set metric_hashes = hashes.get('metrics') or {} -%}
{%- set model_hashes = hashes.get('models') or {} -%}
{%- set entries = catalog_metric_entries() -%}

with

definitions as (
    {%- for entry in entries %}
    {%- set key = entry.metric_name ~ '|' ~ entry.metric_version %}
    {%- set metric_hash = metric_hashes.get(key) or {} %}
    {%- set model_hash = model_hashes.get(entry.computed_by_unique_id) or {} %}
    {%- set definition = metric_hash.get('definition') %}
    {%- if not metric_hash or not model_hash %}
        {%- set hash_status = 'not computed' %}
    {%- elif model_hash.get('checksum') != entry.model_checksum
        or metric_hash.get('definition_text') != catalog_definition_text(entry, definition) %}
        {%- set hash_status = 'stale' %}
    {%- else %}
        {%- set hash_status = 'computed' %}
    {%- endif %}
    {%- set is_computed = hash_status == 'computed' %}
    select
        cast({{ catalog_sql_literal(entry.metric_name) }} as {{ dbt.type_string() }}) as metric_name,
        cast({{ catalog_sql_literal(entry.metric_version) }} as integer) as metric_version,
        cast({{ catalog_sql_literal(entry.label) }} as {{ dbt.type_string() }}) as label,
        cast({{ catalog_sql_literal(definition if is_computed else none) }} as {{ dbt.type_string() }}) as definition,
        cast({{ catalog_sql_literal(entry.numerator) }} as {{ dbt.type_string() }}) as numerator,
        cast({{ catalog_sql_literal(entry.denominator) }} as {{ dbt.type_string() }}) as denominator,
        cast({{ catalog_sql_literal(entry.filters) }} as {{ dbt.type_string() }}) as filters,
        cast({{ catalog_sql_literal(entry.time_dimension) }} as {{ dbt.type_string() }}) as time_dimension,
        cast({{ catalog_sql_literal(entry.unit) }} as {{ dbt.type_string() }}) as unit,
        cast({{ catalog_sql_literal(entry.owner_group) }} as {{ dbt.type_string() }}) as owner_group,
        cast({{ catalog_sql_literal(entry.docs_block) }} as {{ dbt.type_string() }}) as docs_block,
        cast({{ catalog_sql_literal(entry.computed_by) }} as {{ dbt.type_string() }}) as computed_by,
        cast({{ catalog_sql_literal(entry.model_access) }} as {{ dbt.type_string() }}) as model_access,
        cast({{ catalog_sql_literal(entry.model_group) }} as {{ dbt.type_string() }}) as model_group,
        cast({{ catalog_sql_literal('deprecated' if entry.deprecation_date else 'current') }}
            as {{ dbt.type_string() }}) as status,
        cast({{ catalog_sql_literal(entry.deprecation_date) }} as date) as deprecation_date,
        cast({{ catalog_sql_literal(metric_hash.get('definition_text') if is_computed else none) }}
            as {{ dbt.type_string() }}) as definition_text,
        cast({{ catalog_sql_literal(metric_hash.get('definition_sha256') if is_computed else none) }}
            as {{ dbt.type_string() }}) as definition_sha256,
        cast({{ catalog_sql_literal(model_hash.get('compiled_sql_sha256') if is_computed else none) }}
            as {{ dbt.type_string() }}) as compiled_sql_sha256,
        cast({{ catalog_sql_literal(model_hash.get('upstream_sql_sha256') if is_computed else none) }}
            as {{ dbt.type_string() }}) as upstream_sql_sha256,
        cast({{ catalog_sql_literal(hash_status) }} as {{ dbt.type_string() }}) as hash_status
    {%- if not loop.last %}

    union all
    {% endif -%}
    {%- else %}
    -- No model lists a metric yet: an empty relation with the contract's columns.
    select
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as integer) as metric_version,
        cast(null as {{ dbt.type_string() }}) as label,
        cast(null as {{ dbt.type_string() }}) as definition,
        cast(null as {{ dbt.type_string() }}) as numerator,
        cast(null as {{ dbt.type_string() }}) as denominator,
        cast(null as {{ dbt.type_string() }}) as filters,
        cast(null as {{ dbt.type_string() }}) as time_dimension,
        cast(null as {{ dbt.type_string() }}) as unit,
        cast(null as {{ dbt.type_string() }}) as owner_group,
        cast(null as {{ dbt.type_string() }}) as docs_block,
        cast(null as {{ dbt.type_string() }}) as computed_by,
        cast(null as {{ dbt.type_string() }}) as model_access,
        cast(null as {{ dbt.type_string() }}) as model_group,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as date) as deprecation_date,
        cast(null as {{ dbt.type_string() }}) as definition_text,
        cast(null as {{ dbt.type_string() }}) as definition_sha256,
        cast(null as {{ dbt.type_string() }}) as compiled_sql_sha256,
        cast(null as {{ dbt.type_string() }}) as upstream_sql_sha256,
        cast(null as {{ dbt.type_string() }}) as hash_status
    where 1 = 0
    {%- endfor %}
)

select * from definitions
