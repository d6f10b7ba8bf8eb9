with

int_revenue_periods_aggregated as (
    select * from {{ ref('int_revenue_periods_aggregated') }}
),

retention as (
    select
        grain,
        period_start,
        period_end_date,
        dimension_name,
        dimension_value,
        cast(starting_customers as {{ dbt.type_bigint() }}) as starting_customers,
        cast(retained_customers as {{ dbt.type_bigint() }}) as retained_customers,
        cast(churned_customers as {{ dbt.type_bigint() }}) as churned_customers,
        cast(voluntary_churned_customers as {{ dbt.type_bigint() }}) as voluntary_churned_customers,
        cast(involuntary_churned_customers as {{ dbt.type_bigint() }}) as involuntary_churned_customers,
        cast(term_end_churned_customers as {{ dbt.type_bigint() }}) as term_end_churned_customers,
        cast(other_churned_customers as {{ dbt.type_bigint() }}) as other_churned_customers,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(reactivated_customers as {{ dbt.type_bigint() }}) as reactivated_customers,
        cast(ending_customers as {{ dbt.type_bigint() }}) as ending_customers,
        cast(starting_mrr as decimal(38, 4)) as starting_mrr,
        cast(new_mrr as decimal(38, 4)) as new_mrr,
        cast(expansion_mrr as decimal(38, 4)) as expansion_mrr,
        cast(reactivation_mrr as decimal(38, 4)) as reactivation_mrr,
        cast(contraction_mrr as decimal(38, 4)) as contraction_mrr,
        cast(churned_mrr as decimal(38, 4)) as churned_mrr,
        cast(ending_mrr as decimal(38, 4)) as ending_mrr,
        cast(ending_trial_mrr as decimal(38, 4)) as ending_trial_mrr,
        cast(starting_customers_mrr as decimal(38, 4)) as starting_customers_mrr,
        cast(starting_customers_retained_mrr as decimal(38, 4)) as starting_customers_retained_mrr,
        cast(starting_customers_ending_mrr as decimal(38, 4)) as starting_customers_ending_mrr,
        {%- for rate_name, numerator in [
            ('logo_churn_rate', 'churned_customers'),
            ('logo_retention_rate', 'retained_customers'),
            ('voluntary_logo_churn_rate', 'voluntary_churned_customers'),
            ('involuntary_logo_churn_rate', 'involuntary_churned_customers'),
            ('term_end_logo_churn_rate', 'term_end_churned_customers'),
        ] %}
            cast(
                case when starting_customers > 0 then cast({{ numerator }} as double precision) / starting_customers end
                as decimal(18, 6)
            ) as {{ rate_name }},
        {%- endfor %}
        case when starting_customers = 0 then 'no customers at period start' end as logo_rate_null_reason,
        cast(
            case
                when starting_customers_mrr > 0
                    then
                        cast(starting_customers_retained_mrr as double precision)
                        / cast(starting_customers_mrr as double precision)
            end
            as decimal(18, 6)
        ) as gross_revenue_retention,
        cast(
            case
                when starting_customers_mrr > 0
                    then
                        cast(starting_customers_ending_mrr as double precision)
                        / cast(starting_customers_mrr as double precision)
            end
            as decimal(18, 6)
        ) as net_revenue_retention,
        case
            when starting_customers = 0 then 'no customers at period start'
            when starting_customers_mrr = 0 then 'no MRR at period start'
        end as revenue_retention_null_reason
    from int_revenue_periods_aggregated
)

select * from retention
