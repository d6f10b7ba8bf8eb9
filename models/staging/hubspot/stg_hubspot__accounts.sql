{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='accounts', schema='gtm_input') }}

{%- set company_relation = source('hubspot', 'company') -%}
{%- set company_columns = gtm_adapter_columns(company_relation) -%}
{{ gtm_adapter_require(company_relation, company_columns, ['id']) }}

with

company_versions as (
    select
        company_rows.*,
        {{ gtm_adapter_deleted_flag(company_columns, 'company_rows') }} as gtm_is_deleted,
        {{ gtm_adapter_version_rank(company_columns, 'id', 'company_rows') }} as gtm_version_rank
    from {{ company_relation }} as company_rows
),

accounts as (
    select
        cast(id as {{ dbt.type_string() }}) as account_id,
        {{ gtm_adapter_value(company_columns, 'property_name', 'text') }} as account_name,
        cast(null as {{ dbt.type_string() }}) as segment,
        {{ gtm_adapter_value(company_columns, 'property_industry', 'text') }} as industry,
        {{ gtm_adapter_value(company_columns, 'property_country', 'text') }} as country,
        {{ gtm_adapter_value(company_columns, 'property_createdate', 'timestamp') }} as created_at,
        gtm_is_deleted as is_deleted
    from company_versions
    where gtm_version_rank = 1
)

select * from accounts
