{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='lead_activities', schema='gtm_input') }}

-- The HubSpot adapter does not fill lead_activities: no rows, every contract column.
{{ gtm_adapter_empty_table('lead_activities') }}
