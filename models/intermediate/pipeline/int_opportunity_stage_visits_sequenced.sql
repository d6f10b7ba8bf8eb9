-- One row per surviving opportunity per stage visit, in visit order.
--
-- Rules (the docs block stage_visit_rules states them for readers):
--   * History rows of merged copies count for their survivor; history of
--     deleted opportunities is left out.
--   * Rows are ordered by entered_at. At equal instants an open stage sorts
--     before a closed one, then come stage order, stage name and history_id,
--     so any input row order gives the same visits.
--   * Consecutive rows of the same canonical stage form one visit named after
--     its first row. A return to an earlier stage opens a new visit.
--   * Each visit is exited when the next one is entered; the last visit has
--     no exit.
--   * An opportunity without history gets one visit in its current stage,
--     entered at created_at. When the current stage differs from the last
--     history visit, a visit in the current stage is appended, entered at the
--     last history instant.
--   * Open stages skipped by a forward move (into an open or won stage) are
--     added as skipped visits of zero duration at the instant of the move;
--     the first visit counts as a forward move from before the first stage.
with

stg_gtm__opportunities as (
    select * from {{ ref('stg_gtm__opportunities') }}
),

stg_gtm__opportunity_stage_history as (
    select * from {{ ref('stg_gtm__opportunity_stage_history') }}
),

int_opportunity_records_resolved as (
    select * from {{ ref('int_opportunity_records_resolved') }}
),

gtm_stage_mapping as (
    select * from {{ ref('gtm_stage_mapping') }}
),

survivors as (
    select
        stg_gtm__opportunities.opportunity_id,
        stg_gtm__opportunities.pipeline_id,
        stg_gtm__opportunities.stage_name,
        stg_gtm__opportunities.created_at
    from stg_gtm__opportunities
    inner join int_opportunity_records_resolved
        on stg_gtm__opportunities.opportunity_id = int_opportunity_records_resolved.opportunity_id
    where int_opportunity_records_resolved.record_status = 'survivor'
),

-- History rows re-pointed to their surviving opportunity.
history_rows as (
    select
        int_opportunity_records_resolved.survivor_opportunity_id as opportunity_id,
        stg_gtm__opportunity_stage_history.history_id,
        stg_gtm__opportunity_stage_history.stage_name,
        stg_gtm__opportunity_stage_history.entered_at,
        stg_gtm__opportunity_stage_history.opportunity_id as recorded_opportunity_id
    from stg_gtm__opportunity_stage_history
    inner join int_opportunity_records_resolved
        on stg_gtm__opportunity_stage_history.opportunity_id = int_opportunity_records_resolved.opportunity_id
    where int_opportunity_records_resolved.survivor_opportunity_id is not null
),

last_history_entries as (
    select
        opportunity_id,
        max(entered_at) as last_entered_at
    from history_rows
    group by opportunity_id
),

mapped_history as (
    select
        history_rows.opportunity_id,
        history_rows.history_id,
        history_rows.recorded_opportunity_id,
        history_rows.stage_name,
        history_rows.entered_at,
        'history' as visit_source,
        survivors.pipeline_id
    from history_rows
    inner join survivors
        on history_rows.opportunity_id = survivors.opportunity_id
),

-- The current stage as its own row: the only row of an opportunity without
-- history, and otherwise a candidate appended after the last history row.
current_stage_rows as (
    select
        survivors.opportunity_id,
        cast(null as {{ dbt.type_string() }}) as history_id,
        survivors.opportunity_id as recorded_opportunity_id,
        survivors.stage_name,
        coalesce(last_history_entries.last_entered_at, survivors.created_at) as entered_at,
        'current_stage' as visit_source,
        survivors.pipeline_id
    from survivors
    left join last_history_entries
        on survivors.opportunity_id = last_history_entries.opportunity_id
),

all_rows as (
    select * from mapped_history

    union all

    select * from current_stage_rows
),

-- Stage names match the mapping case-insensitively and per pipeline.
stage_rows as (
    select
        all_rows.opportunity_id,
        all_rows.history_id,
        all_rows.recorded_opportunity_id,
        all_rows.stage_name,
        all_rows.entered_at,
        all_rows.visit_source,
        all_rows.pipeline_id,
        gtm_stage_mapping.canonical_stage,
        gtm_stage_mapping.stage_order,
        gtm_stage_mapping.is_open,
        gtm_stage_mapping.is_won,
        gtm_stage_mapping.is_lost,
        gtm_stage_mapping.is_qualified,
        coalesce(gtm_stage_mapping.is_retired, false) as is_retired_stage,
        coalesce(
            gtm_stage_mapping.canonical_stage,
            {{ dbt.concat(["'(unmapped) '", "lower(all_rows.stage_name)"]) }}
        ) as visit_key
    from all_rows
    left join gtm_stage_mapping
        on
            all_rows.pipeline_id = gtm_stage_mapping.pipeline_id
            and lower(all_rows.stage_name) = lower(gtm_stage_mapping.stage_name)
),

-- Total order of an opportunity's rows. The current-stage row sorts after
-- every history row, since it records the state after the last change.
ordered_rows as (
    select
        *,
        row_number() over (
            partition by opportunity_id
            order by
                entered_at,
                case when visit_source = 'current_stage' then 1 else 0 end,
                case when is_open = false then 1 else 0 end,
                stage_order,
                stage_name,
                history_id
        ) as row_sequence
    from stage_rows
),

-- A row opens a visit when its canonical stage differs from the row before.
flagged_rows as (
    select
        *,
        case
            when
                lag(visit_key) over (partition by opportunity_id order by row_sequence) is null
                or lag(visit_key) over (partition by opportunity_id order by row_sequence) <> visit_key
                then 1
            else 0
        end as is_visit_start
    from ordered_rows
),

-- Only the first row of each visit is kept. The current-stage row is kept
-- when it changes the stage or when the opportunity has no history.
visit_starts as (
    select
        *,
        sum(is_visit_start) over (
            partition by opportunity_id
            order by row_sequence
            rows between unbounded preceding and current row
        ) as visit_number
    from flagged_rows
    where is_visit_start = 1
),

real_visits as (
    select
        opportunity_id,
        pipeline_id,
        visit_number,
        stage_name,
        canonical_stage,
        stage_order,
        is_open,
        is_won,
        is_lost,
        is_qualified,
        is_retired_stage,
        visit_source,
        history_id,
        recorded_opportunity_id,
        entered_at,
        lead(entered_at) over (
            partition by opportunity_id
            order by visit_number
        ) as exited_at,
        lag(is_open) over (
            partition by opportunity_id
            order by visit_number
        ) as is_previous_open,
        lag(stage_order) over (
            partition by opportunity_id
            order by visit_number
        ) as previous_stage_order
    from visit_starts
),

-- One row per pipeline and canonical open stage, named after its current
-- (not retired) CRM stage.
pipeline_open_stages as (
    select
        pipeline_id,
        canonical_stage,
        min(stage_order) as stage_order,
        min(case when not is_retired then stage_name end) as current_stage_name,
        min(stage_name) as any_stage_name,
        max(case when is_qualified then 1 else 0 end) as is_qualified_flag
    from gtm_stage_mapping
    where is_open
    group by
        pipeline_id,
        canonical_stage
),

-- Open stages passed over by a forward move, entered and exited at the
-- instant of the move.
skipped_visits as (
    select
        real_visits.opportunity_id,
        real_visits.pipeline_id,
        real_visits.visit_number,
        coalesce(pipeline_open_stages.current_stage_name, pipeline_open_stages.any_stage_name) as stage_name,
        pipeline_open_stages.canonical_stage,
        pipeline_open_stages.stage_order,
        true as is_open,
        false as is_won,
        false as is_lost,
        pipeline_open_stages.is_qualified_flag = 1 as is_qualified,
        false as is_retired_stage,
        'skipped' as visit_source,
        cast(null as {{ dbt.type_string() }}) as history_id,
        real_visits.recorded_opportunity_id,
        real_visits.entered_at,
        real_visits.entered_at as exited_at
    from real_visits
    inner join pipeline_open_stages
        on
            real_visits.pipeline_id = pipeline_open_stages.pipeline_id
            and real_visits.stage_order > pipeline_open_stages.stage_order
            and coalesce(real_visits.previous_stage_order, 0) < pipeline_open_stages.stage_order
    where
        (real_visits.is_open or real_visits.is_won)
        and (real_visits.visit_number = 1 or real_visits.is_previous_open)
),

all_visits as (
    select
        opportunity_id,
        pipeline_id,
        visit_number,
        stage_name,
        canonical_stage,
        stage_order,
        is_open,
        is_won,
        is_lost,
        is_qualified,
        is_retired_stage,
        visit_source,
        history_id,
        recorded_opportunity_id,
        entered_at,
        exited_at,
        1 as visit_part
    from real_visits

    union all

    select
        opportunity_id,
        pipeline_id,
        visit_number,
        stage_name,
        canonical_stage,
        stage_order,
        is_open,
        is_won,
        is_lost,
        is_qualified,
        is_retired_stage,
        visit_source,
        history_id,
        recorded_opportunity_id,
        entered_at,
        exited_at,
        0 as visit_part
    from skipped_visits
),

sequenced_visits as (
    select
        opportunity_id,
        row_number() over (
            partition by opportunity_id
            order by visit_number, visit_part, stage_order
        ) as stage_visit_number,
        pipeline_id,
        stage_name,
        canonical_stage,
        stage_order,
        is_open,
        is_won,
        is_lost,
        is_qualified,
        is_retired_stage,
        visit_source = 'skipped' as is_skipped,
        visit_source,
        history_id,
        recorded_opportunity_id,
        entered_at,
        exited_at,
        {{ gtm_business_date('entered_at') }} as entered_date,
        {{ gtm_business_date('exited_at') }} as exited_date,
        -- noqa: disable=LT05
        cast({{ dbt.datediff('entered_at', 'exited_at', 'second') }} as double precision) / 86400.0 as duration_days
        -- noqa: enable=LT05
    from all_visits
)

select * from sequenced_visits
