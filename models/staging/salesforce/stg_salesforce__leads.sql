{{ config(enabled=var('gtm_input_source', 'contract') == 'salesforce', alias='leads', schema='gtm_input') }}

{#- Salesforce Leads and Contacts as contract leads. A contact created by
    converting a lead (Lead.converted_contact_id) is the same person as the
    lead, so only the lead record is kept. -#}
{%- set lead_relation = source('salesforce', 'lead') -%}
{%- set contact_relation = source('salesforce', 'contact') -%}
{%- set lead_columns = gtm_adapter_columns(lead_relation) -%}
{%- set contact_columns = gtm_adapter_columns(contact_relation) -%}
{{ gtm_adapter_require(lead_relation, lead_columns, ['id', 'created_date']) }}

with

lead_versions as (
    select
        lead_rows.*,
        {{ gtm_adapter_deleted_flag(lead_columns, 'lead_rows') }} as gtm_is_deleted,
        {{ gtm_adapter_version_rank(lead_columns, 'id', 'lead_rows') }} as gtm_version_rank
    from {{ lead_relation }} as lead_rows
),

current_leads as (
    select * from lead_versions
    where gtm_version_rank = 1
),

lead_records as (
    select
        cast(id as {{ dbt.type_string() }}) as lead_id,
        {{ gtm_adapter_value(lead_columns, 'email', 'text') }} as email,
        {{ gtm_adapter_value(lead_columns, 'first_name', 'text') }} as first_name,
        {{ gtm_adapter_value(lead_columns, 'last_name', 'text') }} as last_name,
        {{ gtm_adapter_value(lead_columns, 'company', 'text') }} as company,
        {{ gtm_adapter_value(lead_columns, 'converted_account_id', 'text') }} as account_id,
        {{ gtm_adapter_value(lead_columns, 'lead_source', 'text') }} as source_channel,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ gtm_adapter_type('decimal') }}) as lead_score,
        cast(null as {{ dbt.type_string() }}) as segment,
        {{ gtm_adapter_value(lead_columns, 'created_date', 'timestamp') }} as created_at,
        gtm_is_deleted as is_deleted,
        {{ gtm_adapter_value(lead_columns, 'master_record_id', 'text') }} as merged_into_lead_id
    from current_leads
),

converted_contacts as (
    select distinct
        {{ gtm_adapter_value(lead_columns, 'converted_contact_id', 'text') }} as contact_id
    from current_leads
),

contact_versions as (
    {%- if contact_columns %}
        select
            contact_rows.*,
            {{ gtm_adapter_deleted_flag(contact_columns, 'contact_rows') }} as gtm_is_deleted,
            {{ gtm_adapter_version_rank(contact_columns, 'id', 'contact_rows') }} as gtm_version_rank
        from {{ contact_relation }} as contact_rows
    {%- else %}
        -- No contact table: no contact rows.
        select
            cast(null as {{ dbt.type_string() }}) as id,
            false as gtm_is_deleted,
            1 as gtm_version_rank
        where 1 = 0
    {%- endif %}
),

contact_records as (
    select
        cast(contact_versions.id as {{ dbt.type_string() }}) as lead_id,
        {{ gtm_adapter_value(contact_columns, 'email', 'text', 'contact_versions.email') }} as email,
        {{ gtm_adapter_value(contact_columns, 'first_name', 'text', 'contact_versions.first_name') }}
            as first_name,
        {{ gtm_adapter_value(contact_columns, 'last_name', 'text', 'contact_versions.last_name') }} as last_name,
        cast(null as {{ dbt.type_string() }}) as company,
        {{ gtm_adapter_value(contact_columns, 'account_id', 'text', 'contact_versions.account_id') }}
            as account_id,
        {{ gtm_adapter_value(contact_columns, 'lead_source', 'text', 'contact_versions.lead_source') }}
            as source_channel,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ gtm_adapter_type('decimal') }}) as lead_score,
        cast(null as {{ dbt.type_string() }}) as segment,
        {{ gtm_adapter_value(contact_columns, 'created_date', 'timestamp', 'contact_versions.created_date') }}
            as created_at,
        contact_versions.gtm_is_deleted as is_deleted,
        {{ gtm_adapter_value(contact_columns, 'master_record_id', 'text', 'contact_versions.master_record_id') }}
            as merged_into_lead_id
    from contact_versions
    left join converted_contacts
        on cast(contact_versions.id as {{ dbt.type_string() }}) = converted_contacts.contact_id
    where
        contact_versions.gtm_version_rank = 1
        and converted_contacts.contact_id is null
),

lead_and_contact_records as (
    select * from lead_records
    union all
    select * from contact_records
)

select * from lead_and_contact_records
