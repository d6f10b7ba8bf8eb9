-- One row per opportunity record of the input, with the surviving
-- opportunity it counts as. Merged copies point at the end of their merge
-- chain; deleted opportunities (and copies merged into them) count as none.
with recursive

stg_gtm__opportunities as (
    select * from {{ ref('stg_gtm__opportunities') }}
),

-- Each record followed along merged_into_opportunity_id, one hop per level,
-- for as long as the target record exists. The depth limit stops merge
-- cycles, which a warning test lists.
merge_chains as (
    select
        opportunity_id,
        opportunity_id as chain_opportunity_id,
        0 as merge_depth
    from stg_gtm__opportunities

    union all

    select
        merge_chains.opportunity_id,
        merged_records.merged_into_opportunity_id as chain_opportunity_id,
        merge_chains.merge_depth + 1 as merge_depth
    from merge_chains
    inner join stg_gtm__opportunities as merged_records
        on merge_chains.chain_opportunity_id = merged_records.opportunity_id
    inner join stg_gtm__opportunities as merge_targets
        on merged_records.merged_into_opportunity_id = merge_targets.opportunity_id
    where
        merge_chains.merge_depth < {{ var('gtm_pipeline_max_merge_depth') }}
        and merged_records.merged_into_opportunity_id <> merged_records.opportunity_id
),

chain_ends as (
    select
        opportunity_id,
        chain_opportunity_id,
        merge_depth,
        row_number() over (
            partition by opportunity_id
            order by merge_depth desc
        ) as depth_rank
    from merge_chains
),

-- A missing delete flag means a live record, so the test is
-- coalesce(is_deleted, false), never "is_deleted is null".
records_resolved as (
    select
        stg_gtm__opportunities.opportunity_id,
        case
            when not coalesce(survivors.is_deleted, false) then chain_ends.chain_opportunity_id
        end as survivor_opportunity_id,
        case
            when
                coalesce(survivors.is_deleted, false)
                and chain_ends.chain_opportunity_id = stg_gtm__opportunities.opportunity_id
                then 'deleted'
            when coalesce(survivors.is_deleted, false) then 'merged_into_deleted'
            when chain_ends.chain_opportunity_id = stg_gtm__opportunities.opportunity_id then 'survivor'
            else 'merged'
        end as record_status,
        chain_ends.merge_depth,
        stg_gtm__opportunities.merged_into_opportunity_id,
        stg_gtm__opportunities.is_deleted
    from stg_gtm__opportunities
    inner join chain_ends
        on
            stg_gtm__opportunities.opportunity_id = chain_ends.opportunity_id
            and chain_ends.depth_rank = 1
    inner join stg_gtm__opportunities as survivors
        on chain_ends.chain_opportunity_id = survivors.opportunity_id
)

select * from records_resolved
