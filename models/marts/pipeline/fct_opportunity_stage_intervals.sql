-- One row per opportunity per stage visit, skipped stages included as
-- zero-duration visits (rules in the docs block stage_visit_rules).
with

int_opportunity_stage_visits_sequenced as (
    select * from {{ ref('int_opportunity_stage_visits_sequenced') }}
),

stage_intervals as (
    select
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(stage_visit_number as integer) as stage_visit_number,
        cast(pipeline_id as {{ dbt.type_string() }}) as pipeline_id,
        cast(stage_name as {{ dbt.type_string() }}) as stage_name,
        cast(canonical_stage as {{ dbt.type_string() }}) as canonical_stage,
        cast(stage_order as integer) as stage_order,
        cast(is_open as boolean) as is_open,
        cast(is_won as boolean) as is_won,
        cast(is_lost as boolean) as is_lost,
        cast(is_qualified as boolean) as is_qualified,
        cast(is_retired_stage as boolean) as is_retired_stage,
        cast(is_skipped as boolean) as is_skipped,
        cast(exited_at is null as boolean) as is_current,
        cast(visit_source as {{ dbt.type_string() }}) as visit_source,
        cast(history_id as {{ dbt.type_string() }}) as history_id,
        cast(recorded_opportunity_id as {{ dbt.type_string() }}) as recorded_opportunity_id,
        cast(entered_at as timestamp) as entered_at,
        cast(exited_at as timestamp) as exited_at,
        cast(entered_date as date) as entered_date,
        cast(exited_date as date) as exited_date,
        cast(duration_days as double precision) as duration_days
    from int_opportunity_stage_visits_sequenced
)

select * from stage_intervals
