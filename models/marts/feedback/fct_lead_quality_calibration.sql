{#- The calibration table: for each grain, period of the handoff date and
    lead-score band (and 'all' for every band together), marketing's mean
    predicted SQL probability (lead score / 100) next to the SQL rate and
    win rate sales realised, and the Brier score. The values are the
    lead_quality_* rows of metrics_feedback, pivoted, so the table never
    disagrees with the metrics. -#}

with

metrics_feedback as (
    select * from {{ ref('metrics_feedback') }}
),

calibration_rows as (
    select
        grain,
        period_start,
        dimension_value as lead_score_band,
        metric_name,
        value,
        denominator
    from metrics_feedback
    where
        metric_name in (
            'lead_quality_predicted_sql_rate',
            'lead_quality_sql_rate',
            'lead_quality_win_rate',
            'lead_quality_brier_score'
        )
        and dimension_name in ('all', 'lead_score_band')
),

calibration as (
    select
        grain,
        period_start,
        lead_score_band,
        cast(max(case when metric_name = 'lead_quality_sql_rate' then denominator end) as {{ dbt.type_bigint() }})
            as scored_handoffs,
        max(case when metric_name = 'lead_quality_predicted_sql_rate' then value end) as predicted_sql_rate,
        max(case when metric_name = 'lead_quality_sql_rate' then value end) as realised_sql_rate,
        cast(max(case when metric_name = 'lead_quality_win_rate' then denominator end) as {{ dbt.type_bigint() }})
            as scored_handoffs_win_window,
        max(case when metric_name = 'lead_quality_win_rate' then value end) as realised_win_rate,
        max(case when metric_name = 'lead_quality_brier_score' then value end) as brier_score
    from calibration_rows
    group by
        grain,
        period_start,
        lead_score_band
),

calibration_with_gap as (
    select
        calibration.*,
        calibration.realised_sql_rate - calibration.predicted_sql_rate as calibration_gap
    from calibration
)

select * from calibration_with_gap
