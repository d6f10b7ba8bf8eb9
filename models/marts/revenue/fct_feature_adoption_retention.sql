{%- set window_days = var('revenue_adoption_window_days') | int -%}
{%- set retention_months = var('revenue_adoption_retention_months') | int -%}

with

fct_account_time_to_value as (
    select * from {{ ref('fct_account_time_to_value') }}
),

int_account_feature_first_uses as (
    select * from {{ ref('int_account_feature_first_uses') }}
),

fct_mrr_account_months as (
    select * from {{ ref('fct_mrr_account_months') }}
),

features as (
    {%- for feature in var('revenue_adoption_features') %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select '{{ dbt.escape_single_quotes(feature) }}' as feature
    {%- endfor %}
),

-- Customers whose cohort month is at least revenue_adoption_retention_months
-- before the as-of month, with their customer status at that age.
eligible_customers as (
    select
        fct_account_time_to_value.account_id,
        fct_account_time_to_value.started_date,
        fct_account_time_to_value.cohort_month,
        horizon_months.is_customer as is_retained
    from fct_account_time_to_value
    inner join fct_mrr_account_months as horizon_months
        on
            fct_account_time_to_value.account_id = horizon_months.account_id
            and horizon_months.months_since_cohort_start = {{ retention_months }}
),

-- Adoption: first use of the feature before the start date plus
-- revenue_adoption_window_days (a use before the start counts).
account_adoption as (
    select
        eligible_customers.account_id,
        eligible_customers.cohort_month,
        eligible_customers.is_retained,
        features.feature,
        coalesce(
            int_account_feature_first_uses.first_used_date
            < {{ dbt.dateadd('day', window_days, 'eligible_customers.started_date') }},
            false
        ) as has_adopted
    from eligible_customers
    cross join features
    left join int_account_feature_first_uses
        on
            eligible_customers.account_id = int_account_feature_first_uses.account_id
            and features.feature = int_account_feature_first_uses.feature
),

grouped as (
    {%- for grain in revenue_grains() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ grain }}' as grain,
            {{ gtm_period_start('cohort_month', grain) }} as period_start,
            feature,
            sum(case when has_adopted then 1 else 0 end) as adopter_accounts,
            sum(case when has_adopted and is_retained then 1 else 0 end) as adopter_retained_accounts,
            sum(case when not has_adopted then 1 else 0 end) as non_adopter_accounts,
            sum(case when not has_adopted and is_retained then 1 else 0 end) as non_adopter_retained_accounts
        from account_adoption
        group by
            {{ gtm_period_start('cohort_month', grain) }},
            feature
    {%- endfor %}
),

rates as (
    select
        *,
        case
            when adopter_accounts > 0 then cast(adopter_retained_accounts as double precision) / adopter_accounts
        end as adopter_retention_rate,
        case
            when non_adopter_accounts > 0
                then cast(non_adopter_retained_accounts as double precision) / non_adopter_accounts
        end as non_adopter_retention_rate
    from grouped
),

final as (
    select
        grain,
        period_start,
        feature,
        cast({{ window_days }} as integer) as adoption_window_days,
        cast({{ retention_months }} as integer) as retention_months,
        cast(adopter_accounts as {{ dbt.type_bigint() }}) as adopter_accounts,
        cast(adopter_retained_accounts as {{ dbt.type_bigint() }}) as adopter_retained_accounts,
        cast(non_adopter_accounts as {{ dbt.type_bigint() }}) as non_adopter_accounts,
        cast(non_adopter_retained_accounts as {{ dbt.type_bigint() }}) as non_adopter_retained_accounts,
        cast(adopter_retention_rate as decimal(18, 6)) as adopter_retention_rate,
        cast(non_adopter_retention_rate as decimal(18, 6)) as non_adopter_retention_rate,
        cast(
            case when non_adopter_retention_rate > 0 then adopter_retention_rate / non_adopter_retention_rate end
            as decimal(18, 6)
        ) as retention_ratio,
        case
            when adopter_accounts = 0 then 'no adopters'
            when non_adopter_accounts = 0 then 'no non-adopters'
            when non_adopter_retention_rate = 0 then 'no non-adopter retained'
        end as retention_null_reason
    from rates
)

select * from final
