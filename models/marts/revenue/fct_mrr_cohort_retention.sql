{%- set gross_margin = var('revenue_gross_margin') -%}

with

fct_mrr_account_months as (
    select * from {{ ref('fct_mrr_account_months') }}
),

-- Each cohort account's months from its cohort month on, with the cohort's
-- dimension values: segment and channel of the account, plan in the cohort month.
cohort_account_months as (
    select
        account_months.account_id,
        account_months.cohort_month,
        account_months.months_since_cohort_start,
        account_months.is_customer,
        account_months.mrr,
        account_months.segment,
        account_months.acquisition_channel,
        cohort_start.primary_plan as cohort_plan
    from fct_mrr_account_months as account_months
    inner join fct_mrr_account_months as cohort_start
        on
            account_months.account_id = cohort_start.account_id
            and account_months.cohort_month = cohort_start.mrr_month
    where account_months.months_since_cohort_start >= 0
),

dimensioned as (
    {%- for dimension_name, dimension_column in [
        ('all', "'all'"), ('segment', 'segment'), ('plan', 'cohort_plan'), ('channel', 'acquisition_channel')
    ] %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ dimension_name }}' as dimension_name,
            coalesce({{ dimension_column }}, '(unknown)') as dimension_value,
            cohort_account_months.*
        from cohort_account_months
    {%- endfor %}
),

-- One row per cohort, age and dimension value. Every cohort account has a
-- row at every age up to the as-of month (zero rows included), so the
-- account count at each age is the cohort size.
cohort_ages as (
    select
        cohort_month,
        months_since_cohort_start,
        dimension_name,
        dimension_value,
        count(*) as cohort_customers,
        sum(case when is_customer then 1 else 0 end) as active_customers,
        sum(mrr) as mrr
    from dimensioned
    group by
        cohort_month,
        months_since_cohort_start,
        dimension_name,
        dimension_value
),

with_cohort_start as (
    select
        *,
        sum(case when months_since_cohort_start = 0 then mrr else 0 end) over (
            partition by cohort_month, dimension_name, dimension_value
        ) as cohort_starting_mrr,
        sum(mrr) over (
            partition by cohort_month, dimension_name, dimension_value
            order by months_since_cohort_start
            rows between unbounded preceding and current row
        ) as cumulative_mrr
    from cohort_ages
),

final as (
    select
        cohort_month,
        cast(months_since_cohort_start as {{ dbt.type_bigint() }}) as months_since_cohort_start,
        dimension_name,
        dimension_value,
        cast(cohort_customers as {{ dbt.type_bigint() }}) as cohort_customers,
        cast(active_customers as {{ dbt.type_bigint() }}) as active_customers,
        cast(cast(active_customers as double precision) / cohort_customers as decimal(18, 6)) as logo_retention_rate,
        cast(cohort_starting_mrr as decimal(38, 4)) as cohort_starting_mrr,
        cast(mrr as decimal(38, 4)) as mrr,
        cast(
            case
                when cohort_starting_mrr > 0
                    then cast(mrr as double precision) / cast(cohort_starting_mrr as double precision)
            end
            as decimal(18, 6)
        ) as revenue_retention_rate,
        case when cohort_starting_mrr = 0 then 'no MRR in the cohort month' end as revenue_retention_null_reason,
        cast(cumulative_mrr as decimal(38, 4)) as cumulative_mrr,
        cast(cast(cumulative_mrr as double precision) / cohort_customers as decimal(38, 4))
            as realized_ltv_per_customer,
        cast(cast(cumulative_mrr as double precision) * {{ gross_margin }} / cohort_customers as decimal(38, 4))
            as realized_gross_margin_ltv_per_customer
    from with_cohort_start
)

select * from final
