{#- Reasons sales gives for rejecting handed-off leads and for losing their
    deals, ranked within each grain and period: by count, and for lost
    deals also by lost amount. Counts and amounts are the dimension rows of
    metrics_feedback (feedback_rejected_leads by rejection_reason,
    feedback_lost_deals and feedback_lost_deal_amount by loss_reason), so
    the ranking never disagrees with the metrics. Equal values share a
    rank. -#}

with

metrics_feedback as (
    select * from {{ ref('metrics_feedback') }}
),

rejection_reasons as (
    select
        grain,
        period_start,
        'rejection' as reason_type,
        dimension_value as reason,
        value as reason_count,
        cast(null as double precision) as amount
    from metrics_feedback
    where
        metric_name = 'feedback_rejected_leads'
        and dimension_name = 'rejection_reason'
),

loss_reasons as (
    select
        lost_deals.grain,
        lost_deals.period_start,
        'loss' as reason_type,
        lost_deals.dimension_value as reason,
        lost_deals.value as reason_count,
        lost_amounts.value as amount
    from metrics_feedback as lost_deals
    inner join metrics_feedback as lost_amounts
        on
            lost_deals.grain = lost_amounts.grain
            and lost_deals.period_start = lost_amounts.period_start
            and lost_deals.dimension_name = lost_amounts.dimension_name
            and lost_deals.dimension_value = lost_amounts.dimension_value
    where
        lost_deals.metric_name = 'feedback_lost_deals'
        and lost_amounts.metric_name = 'feedback_lost_deal_amount'
        and lost_deals.dimension_name = 'loss_reason'
),

reasons as (
    select * from rejection_reasons
    union all
    select * from loss_reasons
),

ranked_reasons as (
    select
        grain,
        period_start,
        reason_type,
        reason,
        cast(reason_count as {{ dbt.type_bigint() }}) as reason_count,
        cast(amount as decimal(38, 4)) as amount,
        cast(
            case when reason_type = 'loss' then '{{ dbt.escape_single_quotes(var("gtm_reporting_currency")) }}' end
            as {{ dbt.type_string() }}
        ) as currency,
        cast(
            rank() over (
                partition by grain, period_start, reason_type
                order by reason_count desc
            ) as integer
        ) as rank_by_count,
        cast(
            case
                when reason_type = 'loss'
                    then rank() over (
                        partition by grain, period_start, reason_type
                        order by amount desc
                    )
            end as integer
        ) as rank_by_amount
    from reasons
)

select * from ranked_reasons
