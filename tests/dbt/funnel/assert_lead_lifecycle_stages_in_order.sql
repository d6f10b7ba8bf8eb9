-- Every person at a stage has passed all earlier stages, no later than the
-- stage itself, and won and lost exclude each other. Returns the people
-- where that breaks.
with

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

violations as (
    select
        person_id,
        created_at,
        first_touch_at,
        mql_v1_at,
        mql_at,
        sql_at,
        opportunity_at,
        opportunity_date,
        won_date,
        lost_date
    from fct_lead_lifecycle
    where
        (is_mql and not is_mql_v1)
        or (is_sql and not is_mql)
        or (is_opportunity and not is_sql)
        or (is_won and not is_opportunity)
        or (is_lost and not is_opportunity)
        or (is_won and is_lost)
        or first_touch_at > created_at
        or mql_v1_at < created_at
        or mql_v1_at > mql_at
        or mql_at > sql_at
        or mql_v1_at > sql_at
        or sql_at > opportunity_at
        or won_date < opportunity_date
        or lost_date < opportunity_date
)

select * from violations
