{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='leads', schema='gtm_input') }}

{#- HubSpot contacts as contract leads. A contact whose id is listed in
    another contact's property_hs_merged_object_ids (a ";"-separated list
    kept on the surviving contact) was merged into that contact. -#}
{%- set contact_relation = source('hubspot', 'contact') -%}
{%- set contact_columns = gtm_adapter_columns(contact_relation) -%}
{%- set survivor_merged_ids = dbt.concat([
    "';'", "cast(survivor.property_hs_merged_object_ids as " ~ dbt.type_string() ~ ")", "';'"
]) -%}
{%- set merged_id_pattern = dbt.concat(["'%;'", "cast(merged.id as " ~ dbt.type_string() ~ ")", "';%'"]) -%}
{{ gtm_adapter_require(contact_relation, contact_columns, ['id']) }}

with

contact_versions as (
    select
        contact_rows.*,
        {{ gtm_adapter_deleted_flag(contact_columns, 'contact_rows') }} as gtm_is_deleted,
        {{ gtm_adapter_version_rank(contact_columns, 'id', 'contact_rows') }} as gtm_version_rank
    from {{ contact_relation }} as contact_rows
),

current_contacts as (
    select * from contact_versions
    where gtm_version_rank = 1
),

merge_targets as (
    {%- if 'property_hs_merged_object_ids' in contact_columns %}
        select
            cast(merged.id as {{ dbt.type_string() }}) as contact_id,
            min(cast(survivor.id as {{ dbt.type_string() }})) as merged_into_contact_id
        from current_contacts as merged
        inner join current_contacts as survivor
            on
                merged.id <> survivor.id
                and {{ survivor_merged_ids }} like {{ merged_id_pattern }}
        group by cast(merged.id as {{ dbt.type_string() }})
    {%- else %}
        -- No merge lists: no contact was merged.
        select
            cast(null as {{ dbt.type_string() }}) as contact_id,
            cast(null as {{ dbt.type_string() }}) as merged_into_contact_id
        where 1 = 0
    {%- endif %}
),

leads as (
    select
        cast(current_contacts.id as {{ dbt.type_string() }}) as lead_id,
        {{ gtm_adapter_value(contact_columns, 'property_email', 'text', 'current_contacts.property_email') }}
            as email,
        {{ gtm_adapter_value(contact_columns, 'property_firstname', 'text', 'current_contacts.property_firstname') }}
            as first_name,
        {{ gtm_adapter_value(contact_columns, 'property_lastname', 'text', 'current_contacts.property_lastname') }}
            as last_name,
        {{ gtm_adapter_value(contact_columns, 'property_company', 'text', 'current_contacts.property_company') }}
            as company,
        {{ gtm_adapter_value(contact_columns, 'property_associatedcompanyid', 'text',
            'current_contacts.property_associatedcompanyid') }} as account_id,
        {{ gtm_adapter_value(contact_columns, 'property_hs_analytics_source', 'text',
            'current_contacts.property_hs_analytics_source') }} as source_channel,
        {{ gtm_adapter_value(contact_columns, 'property_hs_analytics_source_data_1', 'text',
            'current_contacts.property_hs_analytics_source_data_1') }} as campaign,
        {{ gtm_adapter_value(contact_columns, 'property_hubspotscore', 'decimal',
            'current_contacts.property_hubspotscore') }} as lead_score,
        cast(null as {{ dbt.type_string() }}) as segment,
        {{ gtm_adapter_value(contact_columns, 'property_createdate', 'timestamp',
            'current_contacts.property_createdate') }} as created_at,
        current_contacts.gtm_is_deleted as is_deleted,
        merge_targets.merged_into_contact_id as merged_into_lead_id
    from current_contacts
    left join merge_targets
        on cast(current_contacts.id as {{ dbt.type_string() }}) = merge_targets.contact_id
)

select * from leads
