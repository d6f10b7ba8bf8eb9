with

int_revenue_account_periods_summarized as (
    select * from {{ ref('int_revenue_account_periods_summarized') }}
),

-- Each account period once per dimension, with the account's value of it.
dimensioned as (
    {%- for dimension in revenue_dimensions() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ dimension.name }}' as dimension_name,
            coalesce({{ dimension.column }}, '(unknown)') as dimension_value,
            int_revenue_account_periods_summarized.*
        from int_revenue_account_periods_summarized
    {%- endfor %}
),

-- Totals per grain, period and dimension value. Starting customers are the
-- customers at the start of the period. Retention and churn counts look at
-- those accounts only, so new customers are on neither side.
aggregated as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        max(period_end_date) as period_end_date,
        sum(case when is_customer_at_start then 1 else 0 end) as starting_customers,
        sum(case when is_customer_at_start and is_customer_at_end then 1 else 0 end) as retained_customers,
        sum(case when is_customer_at_start and not is_customer_at_end then 1 else 0 end) as churned_customers,
        {%- for reason in ['voluntary', 'involuntary', 'term_end'] %}
            sum(
                case
                    when is_customer_at_start and not is_customer_at_end and last_churn_reason = '{{ reason }}' then 1
                    else 0
                end
            ) as {{ reason }}_churned_customers,
        {%- endfor %}
        sum(
            case
                when
                    is_customer_at_start
                    and not is_customer_at_end
                    and coalesce(last_churn_reason, '(unknown)') not in ('voluntary', 'involuntary', 'term_end')
                    then 1
                else 0
            end
        ) as other_churned_customers,
        sum(case when is_customer_at_end then 1 else 0 end) as ending_customers,
        sum(case when is_paying_at_end then 1 else 0 end) as paying_customers_at_end,
        sum(new_count) as new_customers,
        sum(reactivation_count) as reactivated_customers,
        sum(mrr_at_start) as starting_mrr,
        sum(mrr_at_end) as ending_mrr,
        sum(trial_mrr_at_end) as ending_trial_mrr,
        sum(new_mrr) as new_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(case when is_customer_at_start then mrr_at_start else 0 end) as starting_customers_mrr,
        sum(
            case
                when is_customer_at_start and mrr_at_end < mrr_at_start then mrr_at_end
                when is_customer_at_start then mrr_at_start
                else 0
            end
        ) as starting_customers_retained_mrr,
        sum(case when is_customer_at_start then mrr_at_end else 0 end) as starting_customers_ending_mrr,
        sum(churn_count) as churn_events,
        sum(customer_months_at_risk) as customer_months_at_risk,
        sum(paying_months) as paying_account_months,
        sum(mrr_month_total) as paying_account_months_mrr
    from dimensioned
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
)

select * from aggregated
