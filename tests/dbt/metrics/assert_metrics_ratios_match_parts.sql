-- Fails with one row per row of `metrics` whose value is not its numerator
-- divided by its denominator, where both are set and the denominator is
-- not zero. The tolerance (0.0001 plus one millionth of the quotient)
-- allows for models that round rates to 6 and amounts to 4 decimals.
with

metrics as (
    select * from {{ ref('metrics') }}
),

inconsistent_rows as (
    select
        metrics.metric_name,
        metrics.metric_version,
        metrics.grain,
        metrics.period_start,
        metrics.dimension_name,
        metrics.dimension_value,
        metrics.value,
        metrics.numerator,
        metrics.denominator,
        metrics.computed_by,
        metrics.numerator / metrics.denominator as quotient
    from metrics
    where
        metrics.numerator is not null
        and metrics.denominator is not null
        and metrics.denominator <> 0
        and (
            metrics.value is null
            or abs(metrics.value - metrics.numerator / metrics.denominator)
            > 0.0001 + 0.000001 * abs(metrics.numerator / metrics.denominator)
        )
)

select * from inconsistent_rows
