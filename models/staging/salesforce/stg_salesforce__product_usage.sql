{{ config(enabled=var('gtm_input_source', 'contract') == 'salesforce', alias='product_usage', schema='gtm_input') }}

-- The Salesforce adapter does not fill product_usage: no rows, every contract column.
{{ gtm_adapter_empty_table('product_usage') }}
