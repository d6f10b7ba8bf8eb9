{#- Periods are built from whole months: a period starts at the end of the
    month before its first month and ends at its last month's snapshot (the
    as-of date in the current period). -#}
with

fct_mrr_account_months as (
    select * from {{ ref('fct_mrr_account_months') }}
),

-- One row per account month per grain, tagged with its period.
account_period_months as (
    {%- for grain in revenue_grains() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ grain }}' as grain,
            {{ gtm_period_start('mrr_month', grain) }} as period_start,
            fct_mrr_account_months.*
        from fct_mrr_account_months
    {%- endfor %}
),

ranked_months as (
    select
        *,
        row_number() over (
            partition by grain, period_start, account_id
            order by mrr_month asc
        ) as month_rank_from_start,
        row_number() over (
            partition by grain, period_start, account_id
            order by mrr_month desc
        ) as month_rank_from_end,
        row_number() over (
            partition by grain, period_start, account_id
            order by case when movement_type = 'churn' then 0 else 1 end asc, mrr_month desc
        ) as churn_rank,
        row_number() over (
            partition by grain, period_start, account_id
            order by case when is_customer then 0 else 1 end asc, mrr_month desc
        ) as customer_rank
    from account_period_months
),

-- Movement totals and month counts per account and period.
period_totals as (
    select
        grain,
        period_start,
        account_id,
        count(*) as months_in_period,
        sum(new_mrr) as new_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(case when movement_type = 'new' then 1 else 0 end) as new_count,
        sum(case when movement_type = 'reactivation' then 1 else 0 end) as reactivation_count,
        sum(case when movement_type = 'churn' then 1 else 0 end) as churn_count,
        sum(case when was_customer then 1 else 0 end) as customer_months_at_risk,
        sum(case when is_paying then 1 else 0 end) as paying_months,
        sum(mrr) as mrr_month_total
    from account_period_months
    group by
        grain,
        period_start,
        account_id
),

summarized as (
    select
        period_totals.grain,
        period_totals.period_start,
        period_totals.account_id,
        period_start_months.was_customer as is_customer_at_start,
        period_start_months.start_mrr as mrr_at_start,
        period_end_months.is_customer as is_customer_at_end,
        period_end_months.is_paying as is_paying_at_end,
        period_end_months.mrr as mrr_at_end,
        period_end_months.trial_mrr as trial_mrr_at_end,
        period_end_months.snapshot_date as period_end_date,
        period_end_months.segment,
        period_end_months.acquisition_channel,
        case
            when period_start_months.was_customer then period_start_months.start_primary_plan
            else last_customer_months.primary_plan
        end as plan,
        last_churn_months.churn_reason as last_churn_reason,
        period_totals.months_in_period,
        period_totals.new_mrr,
        period_totals.expansion_mrr,
        period_totals.contraction_mrr,
        period_totals.churned_mrr,
        period_totals.reactivation_mrr,
        period_totals.new_count,
        period_totals.reactivation_count,
        period_totals.churn_count,
        period_totals.customer_months_at_risk,
        period_totals.paying_months,
        period_totals.mrr_month_total
    from period_totals
    inner join ranked_months as period_start_months
        on
            period_totals.grain = period_start_months.grain
            and period_totals.period_start = period_start_months.period_start
            and period_totals.account_id = period_start_months.account_id
            and period_start_months.month_rank_from_start = 1
    inner join ranked_months as period_end_months
        on
            period_totals.grain = period_end_months.grain
            and period_totals.period_start = period_end_months.period_start
            and period_totals.account_id = period_end_months.account_id
            and period_end_months.month_rank_from_end = 1
    inner join ranked_months as last_churn_months
        on
            period_totals.grain = last_churn_months.grain
            and period_totals.period_start = last_churn_months.period_start
            and period_totals.account_id = last_churn_months.account_id
            and last_churn_months.churn_rank = 1
    inner join ranked_months as last_customer_months
        on
            period_totals.grain = last_customer_months.grain
            and period_totals.period_start = last_customer_months.period_start
            and period_totals.account_id = last_customer_months.account_id
            and last_customer_months.customer_rank = 1
)

select * from summarized
