{%- set value_features = var('revenue_value_features') -%}

with

int_subscriptions_normalized as (
    select * from {{ ref('int_subscriptions_normalized') }}
),

int_account_feature_first_uses as (
    select * from {{ ref('int_account_feature_first_uses') }}
),

int_revenue_accounts_enriched as (
    select * from {{ ref('int_revenue_accounts_enriched') }}
),

fct_mrr_account_months as (
    select * from {{ ref('fct_mrr_account_months') }}
),

as_of as (
    select
        {{ revenue_as_of_date() }} as as_of_date
),

-- The account's first recurring subscription start, trials included, up to
-- the as-of date.
account_starts as (
    select
        int_subscriptions_normalized.account_id,
        min(int_subscriptions_normalized.started_date) as started_date
    from int_subscriptions_normalized
    cross join as_of
    where
        int_subscriptions_normalized.is_recurring
        and int_subscriptions_normalized.started_date <= as_of.as_of_date
    group by int_subscriptions_normalized.account_id
),

-- First use of any value feature up to the as-of date.
first_value_uses as (
    select
        int_account_feature_first_uses.account_id,
        min(int_account_feature_first_uses.first_used_date) as first_value_date
    from int_account_feature_first_uses
    cross join as_of
    where
        int_account_feature_first_uses.first_used_date <= as_of.as_of_date
        and int_account_feature_first_uses.feature in (
            {%- for feature in value_features %}
                '{{ dbt.escape_single_quotes(feature) }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
    group by int_account_feature_first_uses.account_id
),

cohorts as (
    select distinct
        account_id,
        cohort_month
    from fct_mrr_account_months
),

-- A first use on or before the start date is zero days to value.
time_to_value as (
    select
        account_starts.account_id,
        account_starts.started_date,
        cast({{ gtm_period_start('account_starts.started_date', 'month') }} as date) as start_month,
        cohorts.cohort_month,
        int_revenue_accounts_enriched.segment,
        int_revenue_accounts_enriched.acquisition_channel,
        first_value_uses.first_value_date,
        first_value_uses.first_value_date is not null as has_reached_value,
        cast(
            case
                when first_value_uses.first_value_date <= account_starts.started_date then 0
                else {{ dbt.datediff('account_starts.started_date', 'first_value_uses.first_value_date', 'day') }}
            end
            as {{ dbt.type_bigint() }}
        ) as days_to_value
    from account_starts
    left join first_value_uses
        on account_starts.account_id = first_value_uses.account_id
    left join cohorts
        on account_starts.account_id = cohorts.account_id
    left join int_revenue_accounts_enriched
        on account_starts.account_id = int_revenue_accounts_enriched.account_id
)

select * from time_to_value
