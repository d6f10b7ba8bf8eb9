{{ config(enabled=var('gtm_input_source', 'contract') == 'hubspot', alias='opportunities', schema='gtm_input') }}

{#- HubSpot deals as contract opportunities. The stage name is the label of
    the deal's own stage, deleted stages included; a stage missing from the
    stage table keeps its id. Closed and won come from the stage. Account and
    lead are the deal's associated company and contact with the smallest id.
    A deal listed as merged_deal_id in merged_deal was merged into deal_id. -#}
{%- set deal_relation = source('hubspot', 'deal') -%}
{%- set stage_relation = source('hubspot', 'deal_pipeline_stage') -%}
{%- set deal_company_relation = source('hubspot', 'deal_company') -%}
{%- set deal_contact_relation = source('hubspot', 'deal_contact') -%}
{%- set merged_relation = source('hubspot', 'merged_deal') -%}
{%- set deal_columns = gtm_adapter_columns(deal_relation) -%}
{%- set stage_columns = gtm_adapter_columns(stage_relation) -%}
{%- set has_deal_company = gtm_adapter_columns(deal_company_relation) | length > 0 -%}
{%- set has_deal_contact = gtm_adapter_columns(deal_contact_relation) | length > 0 -%}
{%- set has_merged_deal = gtm_adapter_columns(merged_relation) | length > 0 -%}
{{ gtm_adapter_require(deal_relation, deal_columns, ['deal_id', 'deal_pipeline_stage_id']) }}

with

deal_versions as (
    select
        deal_rows.*,
        {{ gtm_adapter_deleted_flag(deal_columns, 'deal_rows') }} as gtm_is_deleted,
        {{ gtm_adapter_version_rank(deal_columns, 'deal_id', 'deal_rows') }} as gtm_version_rank
    from {{ deal_relation }} as deal_rows
),

current_deals as (
    select * from deal_versions
    where gtm_version_rank = 1
),

stage_versions as (
    {%- if stage_columns %}
        select
            cast(stage_rows.stage_id as {{ dbt.type_string() }}) as stage_id,
            cast(stage_rows.label as {{ dbt.type_string() }}) as stage_label,
            {{ gtm_adapter_value(stage_columns, 'is_closed', 'boolean', 'stage_rows.is_closed') }} as is_closed,
            {{ gtm_adapter_value(stage_columns, 'closed_won', 'boolean', 'stage_rows.closed_won') }} as is_won,
            {{ gtm_adapter_value(stage_columns, 'probability', 'decimal', 'stage_rows.probability') }} as probability,
            {{ gtm_adapter_version_rank(stage_columns, 'stage_id', 'stage_rows') }} as stage_rank
        from {{ stage_relation }} as stage_rows
    {%- else %}
        -- No stage table: stages keep their ids and have no outcome.
        select
            cast(null as {{ dbt.type_string() }}) as stage_id,
            cast(null as {{ dbt.type_string() }}) as stage_label,
            cast(null as {{ dbt.type_boolean() }}) as is_closed,
            cast(null as {{ dbt.type_boolean() }}) as is_won,
            cast(null as {{ gtm_adapter_type('decimal') }}) as probability,
            1 as stage_rank
        where 1 = 0
    {%- endif %}
),

stages as (
    select * from stage_versions
    where stage_rank = 1
),

deal_companies as (
    {%- if has_deal_company %}
        select
            cast(deal_id as {{ dbt.type_string() }}) as deal_id,
            min(cast(company_id as {{ dbt.type_string() }})) as company_id
        from {{ deal_company_relation }}
        group by cast(deal_id as {{ dbt.type_string() }})
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as deal_id,
            cast(null as {{ dbt.type_string() }}) as company_id
        where 1 = 0
    {%- endif %}
),

deal_contacts as (
    {%- if has_deal_contact %}
        select
            cast(deal_id as {{ dbt.type_string() }}) as deal_id,
            min(cast(contact_id as {{ dbt.type_string() }})) as contact_id
        from {{ deal_contact_relation }}
        group by cast(deal_id as {{ dbt.type_string() }})
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as deal_id,
            cast(null as {{ dbt.type_string() }}) as contact_id
        where 1 = 0
    {%- endif %}
),

deal_merges as (
    {%- if has_merged_deal %}
        select
            cast(merged_deal_id as {{ dbt.type_string() }}) as merged_deal_id,
            min(cast(deal_id as {{ dbt.type_string() }})) as surviving_deal_id
        from {{ merged_relation }}
        group by cast(merged_deal_id as {{ dbt.type_string() }})
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as merged_deal_id,
            cast(null as {{ dbt.type_string() }}) as surviving_deal_id
        where 1 = 0
    {%- endif %}
),

opportunities as (
    select
        cast(current_deals.deal_id as {{ dbt.type_string() }}) as opportunity_id,
        deal_companies.company_id as account_id,
        deal_contacts.contact_id as lead_id,
        {{ gtm_adapter_value(deal_columns, 'owner_id', 'text', 'current_deals.owner_id') }} as owner_id,
        {{ gtm_adapter_value(deal_columns, 'deal_pipeline_id', 'text', 'current_deals.deal_pipeline_id') }}
            as pipeline_id,
        coalesce(stages.stage_label, cast(current_deals.deal_pipeline_stage_id as {{ dbt.type_string() }}))
            as stage_name,
        {{ gtm_adapter_value(deal_columns, 'property_amount', 'money', 'current_deals.property_amount') }}
            as amount,
        {{ gtm_adapter_value(deal_columns, 'property_deal_currency_code', 'currency',
            'current_deals.property_deal_currency_code') }} as currency,
        coalesce(
            {{ gtm_adapter_value(deal_columns, 'property_hs_deal_stage_probability', 'decimal',
                'current_deals.property_hs_deal_stage_probability') }},
            stages.probability
        ) as probability,
        {{ gtm_adapter_value(deal_columns, 'property_createdate', 'timestamp',
            'current_deals.property_createdate') }} as created_at,
        {{ gtm_adapter_value(deal_columns, 'property_closedate', 'date', 'current_deals.property_closedate') }}
            as close_date,
        stages.is_closed,
        stages.is_won,
        {{ gtm_adapter_value(deal_columns, 'property_closed_lost_reason', 'text',
            'current_deals.property_closed_lost_reason') }} as loss_reason,
        current_deals.gtm_is_deleted as is_deleted,
        deal_merges.surviving_deal_id as merged_into_opportunity_id
    from current_deals
    left join stages
        on cast(current_deals.deal_pipeline_stage_id as {{ dbt.type_string() }}) = stages.stage_id
    left join deal_companies
        on cast(current_deals.deal_id as {{ dbt.type_string() }}) = deal_companies.deal_id
    left join deal_contacts
        on cast(current_deals.deal_id as {{ dbt.type_string() }}) = deal_contacts.deal_id
    left join deal_merges
        on cast(current_deals.deal_id as {{ dbt.type_string() }}) = deal_merges.merged_deal_id
)

select * from opportunities
