{#- Rows (groups) where start + new + expansion + reactivation - contraction
    - churned differs from end. The movement columns are new_mrr,
    expansion_mrr, reactivation_mrr, contraction_mrr and churned_mrr. -#}
{% test gtm_revenue_mrr_identity(model, start_column, end_column, group_by) %}

with

grouped as (
    select
        {% for column in group_by %}{{ column }},{% endfor %}
        sum({{ start_column }}) as start_total,
        sum(new_mrr) as new_total,
        sum(expansion_mrr) as expansion_total,
        sum(reactivation_mrr) as reactivation_total,
        sum(contraction_mrr) as contraction_total,
        sum(churned_mrr) as churned_total,
        sum({{ end_column }}) as end_total
    from {{ model }}
    group by {{ group_by | join(', ') }}
),

identity_failures as (
    select *
    from grouped
    where
        start_total + new_total + expansion_total + reactivation_total - contraction_total - churned_total
        <> end_total
)

select * from identity_failures

{% endtest %}

{#- Key values that occur on more than one row. -#}
{% test gtm_revenue_unique_key(model, columns) %}

with

duplicate_keys as (
    select
        {{ columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from duplicate_keys

{% endtest %}

{#- Rows where any of the rate columns is outside [0, 1]. -#}
{% test gtm_revenue_rates_within_bounds(model, columns) %}

with

out_of_bounds as (
    select *
    from {{ model }}
    where
        {% for column in columns -%}
            {{ column }} < 0 or {{ column }} > 1{% if not loop.last %} or {% endif %}
        {%- endfor %}
)

select * from out_of_bounds

{% endtest %}

{#- Rows with more churned customers than customers at the period start. -#}
{% test gtm_revenue_churn_within_start(model, churned_column, starting_column) %}

with

excess_churn as (
    select *
    from {{ model }}
    where {{ churned_column }} > {{ starting_column }}
)

select * from excess_churn

{% endtest %}

{#- Rows where a value and its null reason disagree: a null value needs a
    reason, and a defined value must have none. `pairs` maps each value
    column to its reason column. -#}
{% test gtm_revenue_null_has_reason(model, pairs) %}

with

unexplained as (
    select *
    from {{ model }}
    where
        {% for value_column, reason_column in pairs.items() -%}
            ({{ value_column }} is null) <> ({{ reason_column }} is not null){% if not loop.last %} or {% endif %}
        {%- endfor %}
)

select * from unexplained

{% endtest %}

{#- Rows whose value is NaN or infinite. NaN compares greater than every
    number in DuckDB and PostgreSQL, so one comparison catches both. -#}
{% test gtm_revenue_finite(model, column_name) %}

with

non_finite as (
    select *
    from {{ model }}
    where abs({{ column_name }}) > 1e300
)

select * from non_finite

{% endtest %}

{#- Rows where the column is below zero. -#}
{% test gtm_revenue_not_negative(model, column_name) %}

with

negative_values as (
    select *
    from {{ model }}
    where {{ column_name }} < 0
)

select * from negative_values

{% endtest %}
