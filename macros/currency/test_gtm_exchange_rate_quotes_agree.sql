{#- Fails with one row per currency pair and date quoted more than once at
    different rates in stg_gtm__exchange_rates; the conversion keeps the quote
    with the lowest exchange_rate_id. Attach it to the model that converts. -#}
{% test gtm_exchange_rate_quotes_agree(model) %}

select
    rate_date,
    from_currency,
    to_currency,
    count(distinct rate) as distinct_rates,
    min(exchange_rate_id) as kept_exchange_rate_id
from {{ ref('stg_gtm__exchange_rates') }}
group by
    rate_date,
    from_currency,
    to_currency
having count(distinct rate) > 1

{% endtest %}
