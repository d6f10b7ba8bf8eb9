-- Rate of each currency into the reporting currency (var gtm_reporting_currency),
-- with the interval of business dates it is valid for.
--
-- On each date that has a quote, a currency's rate comes from the first of:
--   1. direct: a quote currency -> reporting currency;
--   2. inverse: 1 / a quote reporting currency -> currency;
--   3. cross: a quote currency -> pivot (or the inverse of pivot -> currency)
--      times the pivot's direct or inverse rate valid on that date; the
--      alphabetically first pivot is used when several qualify.
-- A rate stays valid until the currency's next rate date.
{%- set reporting_currency = dbt.escape_single_quotes(var('gtm_reporting_currency')) %}

with

stg_gtm__exchange_rates as (
    select * from {{ ref('stg_gtm__exchange_rates') }}
),

-- One quote per pair and date. Conflicting quotes of the same pair on the
-- same date keep the lowest exchange_rate_id; a warning test lists them.
ranked_quotes as (
    select
        rate_date,
        from_currency,
        to_currency,
        rate,
        row_number() over (
            partition by rate_date, from_currency, to_currency
            order by exchange_rate_id
        ) as quote_rank
    from stg_gtm__exchange_rates
    where
        from_currency <> to_currency
        and rate > 0
),

-- Every quote in both directions: the inverse of X -> Y is Y -> X at 1 / rate.
directed_quotes as (
    select
        rate_date,
        from_currency,
        to_currency,
        cast(rate as decimal(38, 12)) as rate,
        'direct' as rate_method
    from ranked_quotes
    where quote_rank = 1

    union all

    select
        rate_date,
        to_currency as from_currency,
        from_currency as to_currency,
        cast(cast(1 as decimal(38, 12)) / rate as decimal(38, 12)) as rate,
        'inverse' as rate_method
    from ranked_quotes
    where quote_rank = 1
),

-- Direct and inverse rates into the reporting currency; the direct quote
-- wins when both exist on the same date.
reporting_quotes as (
    select
        from_currency as currency,
        rate_date,
        rate as rate_to_reporting,
        rate_method,
        cast(null as {{ dbt.type_string() }}) as pivot_currency,
        row_number() over (
            partition by from_currency, rate_date
            order by case when rate_method = 'direct' then 1 else 2 end
        ) as method_rank
    from directed_quotes
    where to_currency = '{{ reporting_currency }}'
),

reporting_rates as (
    select
        currency,
        rate_date,
        rate_to_reporting,
        rate_method,
        pivot_currency,
        lead(rate_date) over (partition by currency order by rate_date) as next_rate_date
    from reporting_quotes
    where method_rank = 1
),

-- Cross rates through a pivot currency whose rate into the reporting
-- currency is valid on the quote's date.
cross_quotes as (
    select
        directed_quotes.from_currency as currency,
        directed_quotes.rate_date,
        cast(
            directed_quotes.rate * reporting_rates.rate_to_reporting as decimal(38, 12)
        ) as rate_to_reporting,
        'cross' as rate_method,
        directed_quotes.to_currency as pivot_currency
    from directed_quotes
    inner join reporting_rates
        on
            directed_quotes.to_currency = reporting_rates.currency
            and directed_quotes.rate_date >= reporting_rates.rate_date
            and (
                reporting_rates.next_rate_date is null
                or directed_quotes.rate_date < reporting_rates.next_rate_date
            )
    where
        directed_quotes.from_currency <> '{{ reporting_currency }}'
        and directed_quotes.to_currency <> '{{ reporting_currency }}'
),

-- The best rate per currency and date: direct, then inverse, then cross.
candidate_rates as (
    select
        currency,
        rate_date,
        rate_to_reporting,
        rate_method,
        pivot_currency
    from reporting_rates

    union all

    select
        currency,
        rate_date,
        rate_to_reporting,
        rate_method,
        pivot_currency
    from cross_quotes
),

ranked_rates as (
    select
        currency,
        rate_date,
        rate_to_reporting,
        rate_method,
        pivot_currency,
        row_number() over (
            partition by currency, rate_date
            order by
                case rate_method when 'direct' then 1 when 'inverse' then 2 else 3 end,
                pivot_currency
        ) as method_rank
    from candidate_rates
),

rate_intervals as (
    select
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(rate_date as date) as valid_from,
        cast(lead(rate_date) over (partition by currency order by rate_date) as date) as valid_to,
        cast(rate_to_reporting as decimal(38, 12)) as rate_to_reporting,
        cast(rate_method as {{ dbt.type_string() }}) as rate_method,
        cast(pivot_currency as {{ dbt.type_string() }}) as pivot_currency
    from ranked_rates
    where method_rank = 1
),

-- The reporting currency converts to itself at 1 on every date.
reporting_currency_rate as (
    select
        cast('{{ reporting_currency }}' as {{ dbt.type_string() }}) as currency,
        cast('1900-01-01' as date) as valid_from,
        cast(null as date) as valid_to,
        cast(1 as decimal(38, 12)) as rate_to_reporting,
        cast('identity' as {{ dbt.type_string() }}) as rate_method,
        cast(null as {{ dbt.type_string() }}) as pivot_currency
),

exchange_rates_to_reporting as (
    select * from rate_intervals

    union all

    select * from reporting_currency_rate
)

select * from exchange_rates_to_reporting
