{{ config(enabled=var('gtm_input_source', 'contract') == 'salesforce', alias='opportunities', schema='gtm_input') }}

{#- Salesforce Opportunities as contract opportunities. The originating
    lead is the lead whose conversion created the opportunity
    (Lead.converted_opportunity_id). Salesforce stores probability as a
    percentage; the contract wants a fraction. -#}
{%- set opportunity_relation = source('salesforce', 'opportunity') -%}
{%- set lead_relation = source('salesforce', 'lead') -%}
{%- set opportunity_columns = gtm_adapter_columns(opportunity_relation) -%}
{%- set lead_columns = gtm_adapter_columns(lead_relation) -%}
{%- set loss_reason_column = var('gtm_salesforce_loss_reason_column', 'loss_reason_c') -%}
{{ gtm_adapter_require(opportunity_relation, opportunity_columns, ['id', 'stage_name', 'created_date']) }}

with

opportunity_versions as (
    select
        opportunity_rows.*,
        {{ gtm_adapter_deleted_flag(opportunity_columns, 'opportunity_rows') }} as gtm_is_deleted,
        {{ gtm_adapter_version_rank(opportunity_columns, 'id', 'opportunity_rows') }} as gtm_version_rank
    from {{ opportunity_relation }} as opportunity_rows
),

current_opportunities as (
    select * from opportunity_versions
    where gtm_version_rank = 1
),

converting_leads as (
    {%- if 'converted_opportunity_id' in lead_columns %}
        select
            cast(converted_opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
            min(cast(id as {{ dbt.type_string() }})) as lead_id
        from {{ lead_relation }}
        where converted_opportunity_id is not null
        group by cast(converted_opportunity_id as {{ dbt.type_string() }})
    {%- else %}
        -- No lead conversions recorded: opportunities have no originating lead.
        select
            cast(null as {{ dbt.type_string() }}) as opportunity_id,
            cast(null as {{ dbt.type_string() }}) as lead_id
        where 1 = 0
    {%- endif %}
),

opportunities as (
    select
        cast(current_opportunities.id as {{ dbt.type_string() }}) as opportunity_id,
        {{ gtm_adapter_value(opportunity_columns, 'account_id', 'text', 'current_opportunities.account_id') }}
            as account_id,
        converting_leads.lead_id,
        {{ gtm_adapter_value(opportunity_columns, 'owner_id', 'text', 'current_opportunities.owner_id') }}
            as owner_id,
        cast(null as {{ dbt.type_string() }}) as pipeline_id,
        cast(current_opportunities.stage_name as {{ dbt.type_string() }}) as stage_name,
        {{ gtm_adapter_value(opportunity_columns, 'amount', 'money', 'current_opportunities.amount') }} as amount,
        {{ gtm_adapter_value(opportunity_columns, 'currency_iso_code', 'currency',
            'current_opportunities.currency_iso_code') }} as currency,
        {#- NOTE: a probability synced as text cannot be divided by 100 here;
            staging then quarantines every value above 1 as out of range. #}
        {{ gtm_adapter_value(opportunity_columns, 'probability', 'decimal',
            'current_opportunities.probability / 100.0') }} as probability,
        {{ gtm_adapter_value(opportunity_columns, 'created_date', 'timestamp',
            'current_opportunities.created_date') }} as created_at,
        {{ gtm_adapter_value(opportunity_columns, 'close_date', 'date', 'current_opportunities.close_date') }}
            as close_date,
        {{ gtm_adapter_value(opportunity_columns, 'is_closed', 'boolean', 'current_opportunities.is_closed') }}
            as is_closed,
        {{ gtm_adapter_value(opportunity_columns, 'is_won', 'boolean', 'current_opportunities.is_won') }} as is_won,
        {{ gtm_adapter_value(opportunity_columns, loss_reason_column, 'text',
            'current_opportunities.' ~ loss_reason_column) }} as loss_reason,
        current_opportunities.gtm_is_deleted as is_deleted,
        cast(null as {{ dbt.type_string() }}) as merged_into_opportunity_id
    from current_opportunities
    left join converting_leads
        on cast(current_opportunities.id as {{ dbt.type_string() }}) = converting_leads.opportunity_id
)

select * from opportunities
