-- Ratios lie between 0 and 1 with a numerator no larger than the
-- denominator, counts and days are not negative, and no value is NaN or
-- infinite (a NaN fails the comparisons below, so it is caught too).
-- Returns the rows out of range.
with

metrics_funnel as (
    select * from {{ ref('metrics_funnel') }}
),

violations as (
    select
        metric_name,
        metric_version,
        grain,
        period_start,
        dimension_name,
        dimension_value,
        value,
        numerator,
        denominator,
        unit
    from metrics_funnel
    where
        value is not null
        and not (
            (unit = 'ratio' and value >= 0 and value <= 1 and numerator <= denominator)
            or (unit = 'count' and value >= 0 and value < 1e15)
            or (unit = 'days' and value >= 0 and value < 1e6)
        )
)

select * from violations
