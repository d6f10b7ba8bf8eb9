-- Every MQL under version 2 is also an MQL under version 1, no earlier,
-- and the view fct_mqls (the latest version, created by the post-hook of
-- fct_mqls_v2) returns the same people as fct_mqls_v2. Returns the people
-- where that breaks.
{%- set latest_view = ref('fct_mqls', v=2).incorporate(path={'identifier': 'fct_mqls'}) %}

with

fct_mqls_v1 as (
    select * from {{ ref('fct_mqls', v=1) }}
),

fct_mqls_v2 as (
    select * from {{ ref('fct_mqls', v=2) }}
),

fct_mqls_latest as (
    select * from {{ latest_view }}
),

violations as (
    select
        fct_mqls_v2.person_id,
        'not an MQL under version 1' as problem
    from fct_mqls_v2
    left join fct_mqls_v1
        on fct_mqls_v2.person_id = fct_mqls_v1.person_id
    where fct_mqls_v1.person_id is null

    union all

    select
        fct_mqls_v2.person_id,
        'MQL under version 2 before version 1' as problem
    from fct_mqls_v2
    inner join fct_mqls_v1
        on fct_mqls_v2.person_id = fct_mqls_v1.person_id
    where fct_mqls_v2.mql_at < fct_mqls_v1.mql_at

    union all

    select
        coalesce(fct_mqls_v2.person_id, fct_mqls_latest.person_id) as person_id,
        'fct_mqls differs from fct_mqls_v2' as problem
    from fct_mqls_v2
    full outer join fct_mqls_latest
        on fct_mqls_v2.person_id = fct_mqls_latest.person_id
    where
        fct_mqls_v2.person_id is null
        or fct_mqls_latest.person_id is null
)

select * from violations
