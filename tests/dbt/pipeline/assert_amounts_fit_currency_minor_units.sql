-- Warns for every opportunity whose amount has more decimals than its
-- currency's minor unit allows (for example 1234.5 JPY, since the yen has no
-- minor unit), which usually means an amount given in minor units or in the
-- wrong currency.
{{ config(severity='warn') }}

with

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

gtm_currencies as (
    select * from {{ ref('gtm_currencies') }}
)

select
    fct_opportunities.opportunity_id,
    fct_opportunities.amount,
    fct_opportunities.currency,
    gtm_currencies.minor_units
from fct_opportunities
inner join gtm_currencies
    on fct_opportunities.currency = gtm_currencies.currency_code
-- The amount in minor units, computed in exact decimals, must be whole.
where
    fct_opportunities.amount * cast(power(10, gtm_currencies.minor_units) as decimal(38, 0))
    <> floor(fct_opportunities.amount * cast(power(10, gtm_currencies.minor_units) as decimal(38, 0)))
