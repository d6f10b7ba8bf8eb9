{#- Fails with one row per metric row of `model` with unit 'ratio' whose
    value lies outside [0, 1], and per row of any unit whose value is
    negative where only counts, amounts and days are expected. -#}
{% test gtm_pipeline_ratios_within_bounds(model) %}

select
    metric_name,
    grain,
    period_start,
    dimension_name,
    dimension_value,
    value
from {{ model }}
where
    (unit = 'ratio' and (value < 0 or value > 1))
    or value < 0

{% endtest %}
