-- Warns for every stage history row whose opportunity is not in the
-- opportunities input: such rows cannot be placed in any pipeline and are
-- left out of the stage intervals.
{{ config(severity='warn') }}

with

stg_gtm__opportunity_stage_history as (
    select * from {{ ref('stg_gtm__opportunity_stage_history') }}
),

int_opportunity_records_resolved as (
    select * from {{ ref('int_opportunity_records_resolved') }}
)

select
    stg_gtm__opportunity_stage_history.history_id,
    stg_gtm__opportunity_stage_history.opportunity_id,
    stg_gtm__opportunity_stage_history.stage_name
from stg_gtm__opportunity_stage_history
left join int_opportunity_records_resolved
    on stg_gtm__opportunity_stage_history.opportunity_id = int_opportunity_records_resolved.opportunity_id
where int_opportunity_records_resolved.opportunity_id is null
