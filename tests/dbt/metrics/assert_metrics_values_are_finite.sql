-- Fails with one row per row of `metrics` whose value, numerator or
-- denominator is NaN or infinite; an undefined value must be null.
with

metrics as (
    select * from {{ ref('metrics') }}
),

non_finite_values as (
    {%- for column in ['value', 'numerator', 'denominator'] %}
        select
            metric_name,
            metric_version,
            grain,
            period_start,
            dimension_name,
            dimension_value,
            '{{ column }}' as column_name,
            {{ column }} as column_value
        from metrics
        where
            {{ column }} in (
                cast('NaN' as double precision),
                cast('Infinity' as double precision),
                cast('-Infinity' as double precision)
            )
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
)

select * from non_finite_values
