{#- Fails with one row per currency and date of `model` that has no rate in
    int_exchange_rates_to_reporting, so an amount would stay unconverted.
    Rows where `amount_column` (when given) is null need no rate. Each row
    names the currency, the date and the fix in its message, which the log
    also shows for the first 10 rows. -#}
{% test gtm_exchange_rate_exists(model, currency_column, date_column, amount_column=none) %}

{%- set rates = ref('int_exchange_rates_to_reporting') %}
{%- set reporting_currency = var('gtm_reporting_currency') %}

{%- set missing_rates_sql %}
with

conversions as (
    select
        {{ currency_column }} as currency,
        {{ date_column }} as conversion_date,
        count(*) as rows_without_rate
    from {{ model }}
    where
        {{ currency_column }} is not null
        and {{ date_column }} is not null
        {%- if amount_column %}
        and {{ amount_column }} is not null
        {%- endif %}
    group by
        {{ currency_column }},
        {{ date_column }}
),

missing_rates as (
    select
        conversions.currency,
        conversions.conversion_date,
        conversions.rows_without_rate
    from conversions
    left join {{ rates }} as rates
        on {{ gtm_rate_valid_on('rates', 'conversions.currency', 'conversions.conversion_date') }}
    where rates.currency is null
)

select
    currency,
    conversion_date,
    rows_without_rate,
    {{ dbt.concat([
        "'Missing exchange rate: no rate from '",
        "currency",
        "' to " ~ dbt.escape_single_quotes(reporting_currency) ~ " valid on '",
        dbt.cast("conversion_date", dbt.type_string()),
        "'. Add an exchange_rates row for this currency dated on or before that date.'",
    ]) }} as message
from missing_rates
{%- endset %}

{{- gtm_log_test_messages(missing_rates_sql, [model, rates]) }}

{{ missing_rates_sql }}

{% endtest %}
