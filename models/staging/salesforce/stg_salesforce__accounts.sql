{{ config(enabled=var('gtm_input_source', 'contract') == 'salesforce', alias='accounts', schema='gtm_input') }}

{%- set account_relation = source('salesforce', 'account') -%}
{%- set account_columns = gtm_adapter_columns(account_relation) -%}
{{ gtm_adapter_require(account_relation, account_columns, ['id']) }}

with

account_versions as (
    select
        account_rows.*,
        {{ gtm_adapter_deleted_flag(account_columns, 'account_rows') }} as gtm_is_deleted,
        {{ gtm_adapter_version_rank(account_columns, 'id', 'account_rows') }} as gtm_version_rank
    from {{ account_relation }} as account_rows
),

accounts as (
    select
        cast(id as {{ dbt.type_string() }}) as account_id,
        {{ gtm_adapter_value(account_columns, 'name', 'text') }} as account_name,
        cast(null as {{ dbt.type_string() }}) as segment,
        {{ gtm_adapter_value(account_columns, 'industry', 'text') }} as industry,
        {{ gtm_adapter_value(account_columns, 'billing_country', 'text') }} as country,
        {{ gtm_adapter_value(account_columns, 'created_date', 'timestamp') }} as created_at,
        gtm_is_deleted as is_deleted
    from account_versions
    where gtm_version_rank = 1
)

select * from accounts
