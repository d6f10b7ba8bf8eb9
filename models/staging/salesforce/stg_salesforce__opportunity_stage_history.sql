{{ config(
    enabled=var('gtm_input_source', 'contract') == 'salesforce',
    alias='opportunity_stage_history',
    schema='gtm_input',
) }}

{#- Stage changes of opportunities, from whichever table the connector
    provides:
      - Salesforce's OpportunityHistory object (opportunity_id, stage_name,
        created_date): one row per recorded change; deleted rows are left out.
      - the opportunity table in history mode (id, stage_name,
        _fivetran_start): one row per version whose stage differs from the
        previous version's, entered when that version starts.
      - neither: no rows, and the pipeline uses each opportunity's current
        stage. -#}
{%- set history_relation = source('salesforce', 'opportunity_history') -%}
{%- set history_columns = gtm_adapter_columns(history_relation) -%}
{%- set is_history_object = 'opportunity_id' in history_columns and 'created_date' in history_columns -%}
{%- set is_history_mode = 'id' in history_columns and '_fivetran_start' in history_columns -%}
{%- set version_id = dbt.concat([
    "cast(opportunity_versions.id as " ~ dbt.type_string() ~ ")",
    "':'",
    "cast(opportunity_versions._fivetran_start as " ~ dbt.type_string() ~ ")",
]) -%}

with

history_rows as (
    {%- if is_history_object %}
        select
            cast(history_object.id as {{ dbt.type_string() }}) as history_id,
            cast(history_object.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
            cast(history_object.stage_name as {{ dbt.type_string() }}) as stage_name,
            {{ gtm_adapter_value(history_columns, 'created_date', 'timestamp', 'history_object.created_date') }}
                as entered_at,
            cast(null as {{ dbt.type_string() }}) as previous_stage_name
        from {{ history_relation }} as history_object
        where not {{ gtm_adapter_deleted_flag(history_columns, 'history_object') }}
    {%- elif is_history_mode %}
        select
            {{ version_id }} as history_id,
            cast(opportunity_versions.id as {{ dbt.type_string() }}) as opportunity_id,
            cast(opportunity_versions.stage_name as {{ dbt.type_string() }}) as stage_name,
            {{ gtm_adapter_value(history_columns, '_fivetran_start', 'timestamp',
                'opportunity_versions._fivetran_start') }} as entered_at,
            cast(lag(opportunity_versions.stage_name) over (
                partition by opportunity_versions.id
                order by opportunity_versions._fivetran_start
            ) as {{ dbt.type_string() }}) as previous_stage_name
        from {{ history_relation }} as opportunity_versions
    {%- else %}
        -- No stage-change table: no history rows.
        select
            cast(null as {{ dbt.type_string() }}) as history_id,
            cast(null as {{ dbt.type_string() }}) as opportunity_id,
            cast(null as {{ dbt.type_string() }}) as stage_name,
            cast(null as {{ dbt.type_timestamp() }}) as entered_at,
            cast(null as {{ dbt.type_string() }}) as previous_stage_name
        where 1 = 0
    {%- endif %}
),

stage_changes as (
    select
        history_id,
        opportunity_id,
        stage_name,
        entered_at
    from history_rows
    where previous_stage_name is null or previous_stage_name <> stage_name
)

select * from stage_changes
