{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='subscriptions', schema='gtm_input') }}

-- The HubSpot adapter does not fill subscriptions: no rows, every contract column.
{{ gtm_adapter_empty_table('subscriptions') }}
