{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='exchange_rates', schema='gtm_input') }}

-- The HubSpot adapter does not fill exchange_rates: no rows, every contract column.
{{ gtm_adapter_empty_table('exchange_rates') }}
