{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='product_usage', schema='gtm_input') }}

-- The HubSpot adapter does not fill product_usage: no rows, every contract column.
{{ gtm_adapter_empty_table('product_usage') }}
