{#- SQL comparing two versions of one metric over the same data: one row
    per period of `grain` and value of `dimension_name` with either
    version's value, the difference (to minus from) and the relative
    difference (over the from value; null when that is zero or missing). A
    period only one version has a row for keeps a null on the other side.
    Reads the `metrics` table. -#}
{% macro catalog_metric_version_diff(metric_name, from_version, to_version, grain='month', dimension_name='all') -%}

with

metrics as (
    select * from {{ ref('metrics') }}
),

{%- for side, version in [('from', from_version), ('to', to_version)] %}

{{ side }}_rows as (
    select
        period_start,
        dimension_value,
        value,
        numerator,
        denominator
    from metrics
    where
        metric_name = '{{ dbt.escape_single_quotes(metric_name) }}'
        and metric_version = {{ version | int }}
        and grain = '{{ dbt.escape_single_quotes(grain) }}'
        and dimension_name = '{{ dbt.escape_single_quotes(dimension_name) }}'
),
{%- endfor %}

compared as (
    select
        '{{ dbt.escape_single_quotes(metric_name) }}' as metric_name,
        '{{ dbt.escape_single_quotes(grain) }}' as grain,
        coalesce(from_rows.period_start, to_rows.period_start) as period_start,
        '{{ dbt.escape_single_quotes(dimension_name) }}' as dimension_name,
        coalesce(from_rows.dimension_value, to_rows.dimension_value) as dimension_value,
        {{ from_version | int }} as from_version,
        {{ to_version | int }} as to_version,
        from_rows.value as from_value,
        to_rows.value as to_value,
        to_rows.value - from_rows.value as difference,
        case
            when from_rows.value <> 0
                then (to_rows.value - from_rows.value) / from_rows.value
        end as relative_difference
    from from_rows
    full outer join to_rows
        on
            from_rows.period_start = to_rows.period_start
            and from_rows.dimension_value = to_rows.dimension_value
)

select * from compared
order by period_start, dimension_value

{%- endmacro %}

{#- SQL comparing the definition fields of two versions of one metric in
    metric_definitions: one row per field, both texts side by side and
    whether they differ. -#}
{% macro catalog_definition_field_diff(metric_name, from_version, to_version) -%}
{%- set fields = [
    'label', 'definition', 'numerator', 'denominator', 'filters', 'time_dimension', 'unit', 'owner_group',
    'computed_by', 'status', 'deprecation_date', 'definition_sha256', 'compiled_sql_sha256',
    'upstream_sql_sha256',
] -%}

with

metric_definitions as (
    select * from {{ ref('metric_definitions') }}
),

{%- for side, version in [('from', from_version), ('to', to_version)] %}

{{ side }}_definition as (
    select *
    from metric_definitions
    where
        metric_name = '{{ dbt.escape_single_quotes(metric_name) }}'
        and metric_version = {{ version | int }}
),
{%- endfor %}

fields as (
    {%- for field in fields %}
    select
        {{ loop.index }} as field_order,
        '{{ field }}' as field_name,
        cast(from_definition.{{ field }} as {{ dbt.type_string() }}) as from_text,
        cast(to_definition.{{ field }} as {{ dbt.type_string() }}) as to_text
    from from_definition
    cross join to_definition
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

compared as (
    select
        field_order,
        field_name,
        from_text,
        to_text,
        coalesce(from_text, '') <> coalesce(to_text, '') as is_changed
    from fields
)

select * from compared
order by field_order

{%- endmacro %}
