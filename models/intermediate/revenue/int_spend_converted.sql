with

stg_gtm__spend as (
    select * from {{ ref('stg_gtm__spend') }}
),

exchange_rates as (
    select * from {{ ref('int_exchange_rates_to_reporting') }}
),

-- One row per spend record in the reporting currency, at the rate valid on
-- the first day of its spend month.
converted as (
    select
        stg_gtm__spend.spend_id,
        cast({{ gtm_period_start('stg_gtm__spend.spend_month', 'month') }} as date) as spend_month,
        coalesce(stg_gtm__spend.channel, '(unknown)') as channel,
        stg_gtm__spend.team,
        stg_gtm__spend.currency,
        stg_gtm__spend.amount as amount_original,
        exchange_rates.rate_to_reporting,
        cast(stg_gtm__spend.amount * exchange_rates.rate_to_reporting as decimal(38, 4)) as amount
    from stg_gtm__spend
    left join exchange_rates
        on
            stg_gtm__spend.currency = exchange_rates.currency
            and {{ gtm_period_start('stg_gtm__spend.spend_month', 'month') }} >= exchange_rates.valid_from
            and (
                exchange_rates.valid_to is null
                or {{ gtm_period_start('stg_gtm__spend.spend_month', 'month') }} < exchange_rates.valid_to
            )
)

select * from converted
