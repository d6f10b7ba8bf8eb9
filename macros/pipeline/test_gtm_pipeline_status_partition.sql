{#- Fails with one row per opportunity of `model` that is not exactly one of
    open, won and lost, so won + lost + open = all holds. -#}
{% test gtm_pipeline_status_partition(model) %}

select
    opportunity_id,
    is_open,
    is_won,
    is_lost
from {{ model }}
where
    is_open is null
    or is_won is null
    or is_lost is null
    or (case when is_open then 1 else 0 end)
    + (case when is_won then 1 else 0 end)
    + (case when is_lost then 1 else 0 end) <> 1

{% endtest %}
