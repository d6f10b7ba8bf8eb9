{{ config(
    enabled=var('gtm_input_source', 'contract') == 'salesforce',
    alias='lead_qualifications',
    schema='gtm_input',
) }}

-- The Salesforce adapter does not fill lead_qualifications: no rows, every contract column.
{{ gtm_adapter_empty_table('lead_qualifications') }}
