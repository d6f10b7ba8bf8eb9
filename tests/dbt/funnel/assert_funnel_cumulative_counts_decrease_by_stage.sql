-- Up to the end of every period, at every grain and dimension value, the
-- funnel narrows: leads >= MQLs (version 1) >= MQLs (version 2) >= SQLs >=
-- leads converted >= leads won. Stage dates never decrease along the
-- funnel, so this holds for running totals. It does not hold for the
-- counts of a single period, because a January lead can become an MQL in
-- February. Returns the periods where the order breaks.
with

metrics_funnel as (
    select * from {{ ref('metrics_funnel') }}
),

stage_counts as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        sum(case when metric_name = 'new_leads' then value else 0 end) as leads,
        sum(case when metric_name = 'new_mqls' and metric_version = 1 then value else 0 end) as mqls_v1,
        sum(case when metric_name = 'new_mqls' and metric_version = 2 then value else 0 end) as mqls,
        sum(case when metric_name = 'new_sqls' then value else 0 end) as sqls,
        sum(case when metric_name = 'leads_converted' then value else 0 end) as converted,
        sum(case when metric_name = 'leads_won' then value else 0 end) as won
    from metrics_funnel
    where unit = 'count'
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

running_totals as (
    select
        grain,
        dimension_name,
        dimension_value,
        {%- for stage in ['leads', 'mqls_v1', 'mqls', 'sqls', 'converted', 'won'] %}
            sum({{ stage }}) over (
                partition by grain, dimension_name, dimension_value
                order by period_start
                rows between unbounded preceding and current row
            ) as {{ stage }}_to_date,
        {%- endfor %}
        period_start
    from stage_counts
),

violations as (
    select *
    from running_totals
    where
        leads_to_date < mqls_v1_to_date
        or mqls_v1_to_date < mqls_to_date
        or mqls_to_date < sqls_to_date
        or sqls_to_date < converted_to_date
        or converted_to_date < won_to_date
)

select * from violations
