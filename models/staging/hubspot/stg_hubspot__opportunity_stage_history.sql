{{ config(
    enabled=var('gtm_input_source', 'contract') == 'hubspot',
    alias='opportunity_stage_history',
    schema='gtm_input',
) }}

{#- Stage entries of deals from the deal_stage table. In history mode the
    same entry (deal, stage, date entered) appears in several versions; it is
    kept once. Each entry is labelled with its own stage's label, deleted
    stages included, or keeps the stage id when the stage is unknown. -#}
{%- set history_relation = source('hubspot', 'deal_stage') -%}
{%- set stage_relation = source('hubspot', 'deal_pipeline_stage') -%}
{%- set history_columns = gtm_adapter_columns(history_relation) -%}
{%- set stage_columns = gtm_adapter_columns(stage_relation) -%}

with

stage_entries as (
    {%- if history_columns %}
        select distinct
            cast(history_rows.deal_id as {{ dbt.type_string() }}) as opportunity_id,
            cast(history_rows.value as {{ dbt.type_string() }}) as stage_id,
            {{ gtm_adapter_value(history_columns, 'date_entered', 'timestamp', 'history_rows.date_entered') }}
                as entered_at
        from {{ history_relation }} as history_rows
    {%- else %}
        -- No deal_stage table: no history rows.
        select
            cast(null as {{ dbt.type_string() }}) as opportunity_id,
            cast(null as {{ dbt.type_string() }}) as stage_id,
            cast(null as {{ dbt.type_timestamp() }}) as entered_at
        where 1 = 0
    {%- endif %}
),

stage_labels as (
    {%- if stage_columns %}
        select
            cast(stage_rows.stage_id as {{ dbt.type_string() }}) as stage_id,
            min(cast(stage_rows.label as {{ dbt.type_string() }})) as stage_label
        from {{ stage_relation }} as stage_rows
        group by cast(stage_rows.stage_id as {{ dbt.type_string() }})
    {%- else %}
        -- No stage table: stages keep their ids.
        select
            cast(null as {{ dbt.type_string() }}) as stage_id,
            cast(null as {{ dbt.type_string() }}) as stage_label
        where 1 = 0
    {%- endif %}
),

stage_history as (
    select
        {{ dbt.concat([
            "stage_entries.opportunity_id",
            "':'",
            "stage_entries.stage_id",
            "':'",
            "cast(stage_entries.entered_at as " ~ dbt.type_string() ~ ")",
        ]) }} as history_id,
        stage_entries.opportunity_id,
        coalesce(stage_labels.stage_label, stage_entries.stage_id) as stage_name,
        stage_entries.entered_at
    from stage_entries
    left join stage_labels
        on stage_entries.stage_id = stage_labels.stage_id
)

select * from stage_history
