{#- Join condition that picks, from int_exchange_rates_to_reporting aliased
    `rates`, the row of `currency` valid on `on_date`:
    valid_from <= on_date < valid_to, with a null valid_to open-ended.
    Usage: left join {{ ref('int_exchange_rates_to_reporting') }} as rates
           on {{ gtm_rate_valid_on('rates', 'deals.currency', 'deals.close_date') }} -#}
{% macro gtm_rate_valid_on(rates, currency, on_date) -%}
    {{ rates }}.currency = {{ currency }}
    and {{ rates }}.valid_from <= {{ on_date }}
    and ({{ rates }}.valid_to is null or {{ on_date }} < {{ rates }}.valid_to)
{%- endmacro %}
