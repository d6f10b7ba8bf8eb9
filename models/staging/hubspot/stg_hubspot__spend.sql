{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='spend', schema='gtm_input') }}

-- The HubSpot adapter does not fill spend: no rows, every contract column.
{{ gtm_adapter_empty_table('spend') }}
