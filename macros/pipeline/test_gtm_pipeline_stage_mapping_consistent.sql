{#- Fails with one row per stage-mapping row whose flags contradict each
    other: exactly one of is_open, is_won and is_lost must be true, only open
    stages can be qualified, and a canonical stage must have the same order
    and flags in every pipeline. -#}
{% test gtm_pipeline_stage_mapping_consistent(model) %}

with

canonical_stages as (
    select
        canonical_stage,
        count(distinct stage_order) as orders,
        count(distinct case when is_open then 'open' when is_won then 'won' else 'lost' end) as statuses
    from {{ model }}
    group by canonical_stage
),

inconsistent_rows as (
    select
        mapping.pipeline_id,
        mapping.stage_name,
        mapping.canonical_stage,
        case
            when
                (case when mapping.is_open then 1 else 0 end)
                + (case when mapping.is_won then 1 else 0 end)
                + (case when mapping.is_lost then 1 else 0 end) <> 1
                then 'exactly one of is_open, is_won, is_lost must be true'
            when mapping.is_qualified and not mapping.is_open
                then 'only an open stage can be qualified'
            when canonical_stages.orders > 1
                then 'the canonical stage has different stage_order values'
            when canonical_stages.statuses > 1
                then 'the canonical stage is open in one row and closed in another'
        end as problem
    from {{ model }} as mapping
    inner join canonical_stages
        on mapping.canonical_stage = canonical_stages.canonical_stage
)

select * from inconsistent_rows
where problem is not null

{% endtest %}
