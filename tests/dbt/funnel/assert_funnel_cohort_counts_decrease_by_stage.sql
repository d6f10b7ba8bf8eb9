-- In every cohort and dimension value: leads >= MQLs (version 1) >= MQLs
-- (version 2) >= SQLs >= opportunities >= won. Returns the cohorts where
-- the order breaks.
with

fct_funnel_cohorts as (
    select * from {{ ref('fct_funnel_cohorts') }}
),

violations as (
    select
        cohort_month,
        dimension_name,
        dimension_value,
        leads,
        mqls_v1,
        mqls,
        sqls,
        opportunities,
        won
    from fct_funnel_cohorts
    where
        leads < mqls_v1
        or mqls_v1 < mqls
        or mqls < sqls
        or sqls < opportunities
        or opportunities < won
        or won < 0
)

select * from violations
