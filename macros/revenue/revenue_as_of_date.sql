{#- As-of date of the revenue models: var gtm_as_of_date, else the latest
    business date on which a subscription started. The fallback relation is
    referenced only without the var, so unit tests that set it need no
    subscriptions input. -#}
{% macro revenue_as_of_date() -%}
    {%- if var('gtm_as_of_date') -%}
        {{ gtm_as_of_date() }}
    {%- else -%}
        {{ gtm_as_of_date(ref('stg_gtm__subscriptions'), gtm_business_date('started_at')) }}
    {%- endif -%}
{%- endmacro %}
