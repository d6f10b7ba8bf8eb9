{%- set gross_margin = var('revenue_gross_margin') -%}
{%- set churn_floor = var('revenue_ltv_min_monthly_churn_rate') -%}

with

int_revenue_periods_aggregated as (
    select * from {{ ref('int_revenue_periods_aggregated') }}
),

int_spend_converted as (
    select * from {{ ref('int_spend_converted') }}
),

as_of as (
    select
        {{ gtm_period_start(revenue_as_of_date(), 'month') }} as as_of_month
),

-- Spend once in total and once by channel.
spend_dimensioned as (
    select
        spend_month,
        team,
        amount,
        'all' as dimension_name,
        'all' as dimension_value
    from int_spend_converted

    union all

    select
        spend_month,
        team,
        amount,
        'channel' as dimension_name,
        channel as dimension_value
    from int_spend_converted
),

-- Spend up to the as-of month per grain, period and dimension value.
spend_by_period as (
    {%- for grain in revenue_grains() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ grain }}' as grain,
            {{ gtm_period_start('spend_dimensioned.spend_month', grain) }} as period_start,
            spend_dimensioned.dimension_name,
            spend_dimensioned.dimension_value,
            sum(case when spend_dimensioned.team = 'marketing' then spend_dimensioned.amount else 0 end)
                as marketing_spend,
            sum(case when spend_dimensioned.team = 'sales' then spend_dimensioned.amount else 0 end)
                as sales_spend,
            sum(spend_dimensioned.amount) as total_spend
        from spend_dimensioned
        cross join as_of
        where spend_dimensioned.spend_month <= as_of.as_of_month
        group by
            {{ gtm_period_start('spend_dimensioned.spend_month', grain) }},
            spend_dimensioned.dimension_name,
            spend_dimensioned.dimension_value
    {%- endfor %}
),

period_keys as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value
    from int_revenue_periods_aggregated

    union

    select
        grain,
        period_start,
        dimension_name,
        dimension_value
    from spend_by_period
),

combined as (
    select
        period_keys.grain,
        period_keys.period_start,
        period_keys.dimension_name,
        period_keys.dimension_value,
        coalesce(int_revenue_periods_aggregated.paying_customers_at_end, 0) as paying_customers,
        coalesce(int_revenue_periods_aggregated.ending_mrr, 0) as ending_mrr,
        coalesce(int_revenue_periods_aggregated.new_customers, 0) as new_customers,
        coalesce(int_revenue_periods_aggregated.churn_events, 0) as churn_events,
        coalesce(int_revenue_periods_aggregated.customer_months_at_risk, 0) as customer_months_at_risk,
        case
            when period_keys.dimension_name in ('all', 'channel')
                then coalesce(spend_by_period.marketing_spend, 0)
        end as marketing_spend,
        case
            when period_keys.dimension_name in ('all', 'channel')
                then coalesce(spend_by_period.sales_spend, 0)
        end as sales_spend,
        case
            when period_keys.dimension_name in ('all', 'channel')
                then coalesce(spend_by_period.total_spend, 0)
        end as total_spend
    from period_keys
    left join int_revenue_periods_aggregated
        on
            period_keys.grain = int_revenue_periods_aggregated.grain
            and period_keys.period_start = int_revenue_periods_aggregated.period_start
            and period_keys.dimension_name = int_revenue_periods_aggregated.dimension_name
            and period_keys.dimension_value = int_revenue_periods_aggregated.dimension_value
    left join spend_by_period
        on
            period_keys.grain = spend_by_period.grain
            and period_keys.period_start = spend_by_period.period_start
            and period_keys.dimension_name = spend_by_period.dimension_name
            and period_keys.dimension_value = spend_by_period.dimension_value
),

-- ARPA on paying customers at period end; the monthly churn rate is churned
-- customers per customer-month at risk (customers at each month's start).
rates as (
    select
        *,
        case
            when paying_customers > 0 then cast(ending_mrr as double precision) / paying_customers
        end as arpa,
        case
            when customer_months_at_risk > 0 then cast(churn_events as double precision) / customer_months_at_risk
        end as monthly_churn_rate,
        case
            when new_customers > 0 and total_spend is not null
                then cast(total_spend as double precision) / new_customers
        end as cac
    from combined
),

-- Churn rate used by LTV: the observed rate, raised to
-- revenue_ltv_min_monthly_churn_rate when that floor is set.
ltv_inputs as (
    select
        *,
        {%- if churn_floor is not none %}
            case
                when monthly_churn_rate < {{ churn_floor }} then {{ churn_floor }}
                else monthly_churn_rate
            end as ltv_churn_rate
        {%- else %}
            monthly_churn_rate as ltv_churn_rate
        {%- endif %}
    from rates
),

ltv as (
    select
        *,
        case
            when arpa is not null and ltv_churn_rate > 0
                then arpa * {{ gross_margin }} / ltv_churn_rate
        end as ltv,
        case
            when arpa is null then 'no paying customers at period end'
            when ltv_churn_rate is null then 'no customers at risk of churn'
            when ltv_churn_rate = 0 then 'no churn observed'
        end as ltv_null_reason,
        case
            when total_spend is null then 'spend is not recorded by ' || dimension_name
            when new_customers = 0 then 'no new customers'
        end as cac_null_reason
    from ltv_inputs
),

unit_economics as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        cast(paying_customers as {{ dbt.type_bigint() }}) as paying_customers,
        cast(ending_mrr as decimal(38, 4)) as ending_mrr,
        cast(arpa as decimal(38, 4)) as arpa,
        case when arpa is null then 'no paying customers at period end' end as arpa_null_reason,
        cast(churn_events as {{ dbt.type_bigint() }}) as churn_events,
        cast(customer_months_at_risk as {{ dbt.type_bigint() }}) as customer_months_at_risk,
        cast(monthly_churn_rate as decimal(18, 6)) as monthly_churn_rate,
        cast(ltv_churn_rate as decimal(18, 6)) as ltv_churn_rate,
        cast({{ gross_margin }} as decimal(18, 6)) as gross_margin,
        cast(ltv as decimal(38, 4)) as ltv,
        ltv_null_reason,
        cast(marketing_spend as decimal(38, 4)) as marketing_spend,
        cast(sales_spend as decimal(38, 4)) as sales_spend,
        cast(total_spend as decimal(38, 4)) as total_spend,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(cac as decimal(38, 4)) as cac,
        cac_null_reason,
        cast(case when cac > 0 then ltv / cac end as decimal(18, 6)) as ltv_to_cac,
        case
            when ltv is null then 'ltv is null: ' || ltv_null_reason
            when cac is null then 'cac is null: ' || cac_null_reason
            when cac = 0 then 'cac is zero'
        end as ltv_to_cac_null_reason,
        cast(
            case when cac is not null and arpa * {{ gross_margin }} > 0 then cac / (arpa * {{ gross_margin }}) end
            as decimal(18, 6)
        ) as cac_payback_months,
        case
            when cac is null then 'cac is null: ' || cac_null_reason
            when arpa is null then 'no paying customers at period end'
            when arpa * {{ gross_margin }} = 0 then 'gross margin per account is zero'
        end as cac_payback_null_reason
    from ltv
)

select * from unit_economics
