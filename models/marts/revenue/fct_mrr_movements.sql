with

fct_mrr_account_months as (
    select * from {{ ref('fct_mrr_account_months') }}
),

-- Months in which the account was a customer at the start or at the end.
movements as (
    select
        account_id,
        mrr_month,
        movement_type,
        start_mrr,
        mrr as end_mrr,
        cast(mrr - start_mrr as decimal(38, 4)) as mrr_change,
        new_mrr,
        expansion_mrr,
        contraction_mrr,
        churned_mrr,
        reactivation_mrr,
        churn_reason,
        case when was_customer then start_primary_plan else primary_plan end as primary_plan,
        segment,
        acquisition_channel,
        cohort_month
    from fct_mrr_account_months
    where movement_type <> 'inactive'
)

select * from movements
