{{ config(enabled=var('gtm_input_source', 'contract') == 'salesforce', alias='lead_feedback', schema='gtm_input') }}

-- The Salesforce adapter does not fill lead_feedback: no rows, every contract column.
{{ gtm_adapter_empty_table('lead_feedback') }}
