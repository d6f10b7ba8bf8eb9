{#- As-of date of the revenue models: var gtm_as_of_date, else the latest
    business date on which a subscription started. -#}
{% macro revenue_as_of_date() -%}
    {{ gtm_as_of_date(ref('stg_gtm__subscriptions'), gtm_business_date('started_at')) }}
{%- endmacro %}
