{{ config(materialized='table') }}

-- Every row of the raw exchange_rates table, parsed under the input contract,
-- with the reason it cannot be used (null when it can).
{{ gtm_check_source('exchange_rates') }}
