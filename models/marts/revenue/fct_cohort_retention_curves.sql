with

fct_mrr_cohort_retention as (
    select * from {{ ref('fct_mrr_cohort_retention') }}
),

-- One row per age and dimension value over every cohort that has reached
-- that age. Cohorts that fell to zero customers stay in the average.
curves as (
    select
        months_since_cohort_start,
        dimension_name,
        dimension_value,
        cast(count(*) as {{ dbt.type_bigint() }}) as cohorts,
        cast(sum(cohort_customers) as {{ dbt.type_bigint() }}) as cohort_customers,
        cast(sum(active_customers) as {{ dbt.type_bigint() }}) as active_customers,
        cast(avg(cast(logo_retention_rate as double precision)) as decimal(18, 6)) as average_logo_retention_rate,
        cast(cast(sum(active_customers) as double precision) / sum(cohort_customers) as decimal(18, 6))
            as pooled_logo_retention_rate,
        cast(avg(cast(revenue_retention_rate as double precision)) as decimal(18, 6)) as average_revenue_retention_rate,
        cast(sum(case when revenue_retention_rate is not null then 1 else 0 end) as {{ dbt.type_bigint() }})
            as cohorts_with_revenue_retention,
        cast(avg(cast(realized_ltv_per_customer as double precision)) as decimal(38, 4))
            as average_realized_ltv_per_customer
    from fct_mrr_cohort_retention
    group by
        months_since_cohort_start,
        dimension_name,
        dimension_value
)

select * from curves
