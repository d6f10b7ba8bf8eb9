-- Fails for every opportunity whose reporting amount, converted back with
-- its own rate, does not return the amount in its currency. The tolerance
-- is one minor unit of the currency, or the rounding of amount_reporting to
-- 4 decimals seen through the rate when that is larger, so a rate applied
-- twice (or not at all) fails.
with

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

gtm_currencies as (
    select * from {{ ref('gtm_currencies') }}
),

round_trips as (
    select
        fct_opportunities.opportunity_id,
        fct_opportunities.currency,
        fct_opportunities.amount,
        fct_opportunities.rate_to_reporting,
        fct_opportunities.amount_reporting,
        cast(fct_opportunities.amount_reporting as double precision)
        / cast(fct_opportunities.rate_to_reporting as double precision) as amount_round_trip,
        case
            when
                power(10.0, -gtm_currencies.minor_units)
                > 0.00005 / cast(fct_opportunities.rate_to_reporting as double precision)
                then power(10.0, -gtm_currencies.minor_units)
            else 0.00005 / cast(fct_opportunities.rate_to_reporting as double precision)
        end as tolerance
    from fct_opportunities
    inner join gtm_currencies
        on fct_opportunities.currency = gtm_currencies.currency_code
    where
        fct_opportunities.amount_reporting is not null
        and fct_opportunities.rate_to_reporting > 0
)

select * from round_trips
where abs(amount_round_trip - cast(amount as double precision)) > tolerance
