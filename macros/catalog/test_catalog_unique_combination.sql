{#- Fails with one row per combination of `columns` that occurs in more
    than one row of the model. Nulls compare equal here, unlike in the
    built-in unique test, so a key with a null part is checked too. -#}
{% test catalog_unique_combination(model, columns) %}

with

duplicated_keys as (
    select
        {{ columns | join(',\n        ') }},
        count(*) as row_count
    from {{ model }}
    group by
        {{ columns | join(',\n        ') }}
    having count(*) > 1
)

select * from duplicated_keys

{% endtest %}
