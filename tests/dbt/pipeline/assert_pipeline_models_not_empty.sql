-- Fails for every pipeline model that is empty while staging has usable
-- opportunities, so a filter that silently drops every row (for example a
-- delete flag compared with "is null" after the CRM starts writing false)
-- stops the build.
with

stg_gtm__opportunities as (
    select * from {{ ref('stg_gtm__opportunities') }}
),

model_row_counts as (
    select
        'int_opportunities_resolved' as model_name,
        count(*) as row_count
    from {{ ref('int_opportunities_resolved') }}

    union all

    select
        'fct_opportunities' as model_name,
        count(*) as row_count
    from {{ ref('fct_opportunities') }}

    union all

    select
        'fct_opportunity_stage_intervals' as model_name,
        count(*) as row_count
    from {{ ref('fct_opportunity_stage_intervals') }}

    union all

    select
        'metrics_pipeline' as model_name,
        count(*) as row_count
    from {{ ref('metrics_pipeline') }}
)

select
    model_row_counts.model_name,
    model_row_counts.row_count
from model_row_counts
where
    model_row_counts.row_count = 0
    and exists (select 1 from stg_gtm__opportunities)
