{#- Each entry: metric name, source CTE, value, numerator and denominator
    expressions (none when the metric is not a ratio), unit. Every metric's
    definition is in models/marts/revenue/_revenue__docs.md. -#}
{%- set currency = var('gtm_reporting_currency') -%}
{#- Spend is recorded by channel only, so spend-based metrics have no
    segment or plan rows. -#}
{%- set period_metrics = [
    ('starting_mrr', 'retention', 'starting_mrr', none, none, currency),
    ('mrr', 'retention', 'ending_mrr', none, none, currency),
    ('arr', 'retention', 'ending_mrr * 12', none, none, currency),
    ('new_mrr', 'retention', 'new_mrr', none, none, currency),
    ('expansion_mrr', 'retention', 'expansion_mrr', none, none, currency),
    ('reactivation_mrr', 'retention', 'reactivation_mrr', none, none, currency),
    ('contraction_mrr', 'retention', 'contraction_mrr', none, none, currency),
    ('churned_mrr', 'retention', 'churned_mrr', none, none, currency),
    ('trial_mrr', 'retention', 'ending_trial_mrr', none, none, currency),
    ('customers', 'retention', 'ending_customers', none, none, 'count'),
    ('new_customers', 'retention', 'new_customers', none, none, 'count'),
    ('reactivated_customers', 'retention', 'reactivated_customers', none, none, 'count'),
    ('churned_customers', 'retention', 'churned_customers', none, none, 'count'),
    ('logo_churn_rate', 'retention', 'logo_churn_rate', 'churned_customers', 'starting_customers', 'ratio'),
    ('logo_retention_rate', 'retention', 'logo_retention_rate', 'retained_customers', 'starting_customers', 'ratio'),
    ('voluntary_logo_churn_rate', 'retention', 'voluntary_logo_churn_rate',
        'voluntary_churned_customers', 'starting_customers', 'ratio'),
    ('involuntary_logo_churn_rate', 'retention', 'involuntary_logo_churn_rate',
        'involuntary_churned_customers', 'starting_customers', 'ratio'),
    ('term_end_logo_churn_rate', 'retention', 'term_end_logo_churn_rate',
        'term_end_churned_customers', 'starting_customers', 'ratio'),
    ('gross_revenue_retention', 'retention', 'gross_revenue_retention',
        'starting_customers_retained_mrr', 'starting_customers_mrr', 'ratio'),
    ('net_revenue_retention', 'retention', 'net_revenue_retention',
        'starting_customers_ending_mrr', 'starting_customers_mrr', 'ratio'),
    ('arpa', 'unit_economics', 'arpa', 'ending_mrr', 'paying_customers', currency),
    ('monthly_logo_churn_rate', 'unit_economics', 'monthly_churn_rate',
        'churn_events', 'customer_months_at_risk', 'ratio'),
    ('ltv', 'unit_economics', 'ltv', none, none, currency),
    ('acquisition_spend', 'unit_economics', 'total_spend', none, none, currency),
    ('cac', 'unit_economics', 'cac', 'total_spend', 'new_customers', currency),
    ('ltv_to_cac', 'unit_economics', 'ltv_to_cac', 'ltv', 'cac', 'ratio'),
    ('cac_payback_months', 'unit_economics', 'cac_payback_months', 'cac', 'arpa * gross_margin', 'months'),
    ('median_days_to_value', 'time_to_value', 'median_days_to_value', none, none, 'days'),
    ('reached_value_rate', 'time_to_value', 'reached_value_rate',
        'reached_value_accounts', 'started_accounts', 'ratio'),
    ('feature_adopter_retention_rate', 'adoption', 'adopter_retention_rate',
        'adopter_retained_accounts', 'adopter_accounts', 'ratio'),
    ('feature_non_adopter_retention_rate', 'adoption', 'non_adopter_retention_rate',
        'non_adopter_retained_accounts', 'non_adopter_accounts', 'ratio'),
    ('feature_adoption_retention_ratio', 'adoption', 'retention_ratio',
        'adopter_retention_rate', 'non_adopter_retention_rate', 'ratio'),
    ('cohort_logo_retention_rate', 'cohorts', 'logo_retention_rate',
        'active_customers', 'cohort_customers', 'ratio'),
    ('cohort_revenue_retention_rate', 'cohorts', 'revenue_retention_rate', 'mrr', 'cohort_starting_mrr', 'ratio'),
    ('realized_ltv_per_customer', 'cohorts', 'realized_ltv_per_customer',
        'cumulative_mrr', 'cohort_customers', currency),
] -%}

with

fct_revenue_retention as (
    select * from {{ ref('fct_revenue_retention') }}
),

fct_revenue_unit_economics as (
    select * from {{ ref('fct_revenue_unit_economics') }}
),

fct_time_to_value_cohorts as (
    select * from {{ ref('fct_time_to_value_cohorts') }}
),

fct_feature_adoption_retention as (
    select * from {{ ref('fct_feature_adoption_retention') }}
),

fct_mrr_cohort_retention as (
    select * from {{ ref('fct_mrr_cohort_retention') }}
),

-- Every source in the shape (grain, period_start, dimension_name,
-- dimension_value, measures...).
retention as (
    select * from fct_revenue_retention
),

unit_economics as (
    select * from fct_revenue_unit_economics
),

time_to_value as (
    select * from fct_time_to_value_cohorts
),

-- Adoption metrics: one dimension, the feature, per cohort period.
adoption as (
    select
        fct_feature_adoption_retention.*,
        'feature' as dimension_name,
        fct_feature_adoption_retention.feature as dimension_value
    from fct_feature_adoption_retention
),

-- Cohort curves: grain month, the cohort month as period, the age as the
-- dimension (total over all accounts of the cohort).
cohorts as (
    select
        fct_mrr_cohort_retention.*,
        'month' as grain,
        fct_mrr_cohort_retention.cohort_month as period_start,
        'months_since_start' as age_dimension_name,
        cast(fct_mrr_cohort_retention.months_since_cohort_start as {{ dbt.type_string() }}) as age_dimension_value
    from fct_mrr_cohort_retention
    where fct_mrr_cohort_retention.dimension_name = 'all'
),

long_metrics as (
    {%- for metric_name, source, value, numerator, denominator, unit in period_metrics %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            cast('{{ metric_name }}' as {{ dbt.type_string() }}) as metric_name,
            1 as metric_version,
            cast(grain as {{ dbt.type_string() }}) as grain,
            cast(period_start as date) as period_start,
            {%- if source == 'cohorts' %}
                cast(age_dimension_name as {{ dbt.type_string() }}) as dimension_name,
                cast(age_dimension_value as {{ dbt.type_string() }}) as dimension_value,
            {%- else %}
                cast(dimension_name as {{ dbt.type_string() }}) as dimension_name,
                cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
            {%- endif %}
            cast({{ value }} as double precision) as value,  -- noqa: RF04
            cast({{ numerator if numerator is not none else 'null' }} as double precision) as numerator,
            cast({{ denominator if denominator is not none else 'null' }} as double precision) as denominator,
            cast('{{ unit }}' as {{ dbt.type_string() }}) as unit
        from {{ source }}
        {%- if metric_name in ('acquisition_spend', 'cac', 'ltv_to_cac', 'cac_payback_months') %}
            where dimension_name in ('all', 'channel')
        {%- endif %}
    {%- endfor %}
)

select * from long_metrics
