-- Fails with one row per grain, period and dimension value where the
-- acceptance, rejection and recycle numerators do not add up to their
-- shared denominator (handoffs with a verdict), or a rate of
-- metrics_feedback lies outside 0 to 1.
with

metrics_feedback as (
    select * from {{ ref('metrics_feedback') }}
),

verdict_rates as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(numerator) as verdict_numerators,
        max(denominator) as verdicts,
        min(denominator) as verdicts_minimum
    from metrics_feedback
    where metric_name in ('feedback_acceptance_rate', 'feedback_rejection_rate', 'feedback_recycle_rate')
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

unbalanced_rates as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        'verdict numerators do not add up to the verdicts' as problem
    from verdict_rates
    where verdict_numerators <> verdicts or verdicts <> verdicts_minimum
),

rates_out_of_range as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        {{ dbt.concat(["metric_name", "' is outside 0 to 1'"]) }} as problem
    from metrics_feedback
    where
        unit in ('ratio', 'score')
        and (value < 0 or value > 1)
),

problems as (
    select * from unbalanced_rates
    union all
    select * from rates_out_of_range
)

select * from problems
