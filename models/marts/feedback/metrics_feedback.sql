{#- The feedback-loop and lead-quality metrics in the long metric shape, at
    every grain of gtm_grains(). Handoff metrics are placed in the period of
    the handoff date (the MQL date), lost-deal metrics in the period of the
    close date. Dimensions: all, lead_score_band and the attributes in var
    feedback_dimensions; rejected leads also by rejection_reason, lost deals
    also by loss_reason. A period without handoffs (or without lost deals)
    has no row. Definitions: models/marts/feedback/_feedback__docs.md. -#}

{%- set allowed_dimensions = ['channel', 'campaign', 'segment'] -%}
{%- for dimension in var('feedback_dimensions') if dimension not in allowed_dimensions -%}
    {{ exceptions.raise_compiler_error(
        "var feedback_dimensions lists '" ~ dimension ~ "', which is not a dimension of fct_lead_handoffs. "
        ~ "Use any of: " ~ (allowed_dimensions | join(', ')) ~ "."
    ) }}
{%- endfor -%}
{%- set dimensions = ['all', 'lead_score_band'] + var('feedback_dimensions') -%}
{#- The text of a dimension's value for each row; 'all' for the total. -#}
{%- set dimension_values = {'all': "'all'"} -%}
{%- for dimension in dimensions + ['loss_reason'] if dimension != 'all' -%}
    {%- do dimension_values.update({
        dimension: "coalesce(cast(" ~ dimension ~ " as " ~ dbt.type_string() ~ "), '(unknown)')"
    }) -%}
{%- endfor -%}
{%- set currency = var('gtm_reporting_currency') -%}

with

fct_lead_handoffs as (
    select * from {{ ref('fct_lead_handoffs') }}
),

fct_opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

-- One row per handoff for each grain and dimension it counts towards.
handoff_rows as (
    {%- for grain in gtm_grains() %}
        {%- set outer_loop = loop %}
        {%- for dimension in dimensions %}
            select
                '{{ grain }}' as grain,
                {{ gtm_period_start('handed_off_date', grain) }} as period_start,
                '{{ dimension }}' as dimension_name,
                {{ dimension_values[dimension] }} as dimension_value,
                first_verdict,
                first_verdict_reason,
                hours_to_verdict,
                is_sla_window_closed,
                is_verdict_within_sla,
                lead_score,
                is_sql_within_window,
                is_sql_window_closed,
                is_won_within_window,
                is_win_window_closed
            from fct_lead_handoffs
            {%- if not (outer_loop.last and loop.last) %}

                union all
            {% endif -%}
        {%- endfor %}
    {%- endfor %}
),

-- One row per grain, period and dimension value: the counts, sums and
-- median behind every handoff metric.
handoff_aggregates as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as handoffs,
        sum(case when is_sla_window_closed then 1 else 0 end) as sla_due,
        sum(case when is_sla_window_closed and is_verdict_within_sla then 1 else 0 end) as sla_met,
        count(first_verdict) as verdicts,
        sum(case when first_verdict = 'accepted' then 1 else 0 end) as accepted,
        sum(case when first_verdict = 'rejected' then 1 else 0 end) as rejected,
        sum(case when first_verdict = 'recycled' then 1 else 0 end) as recycled,
        count(hours_to_verdict) as verdicts_timed,
        percentile_cont(0.5) within group (order by hours_to_verdict) as median_hours_to_verdict,
        -- Calibration population: scored handoffs whose outcome window closed.
        -- The sums run on the decimal lead score (0 to 100), because a sum of
        -- decimals is exact in any row order and a sum of doubles is not.
        -- The division by 100 (by 10000 for squares) comes once, at the end.
        sum(case when lead_score is not null and is_sql_window_closed then 1 else 0 end) as sql_scored,
        sum(
            case when lead_score is not null and is_sql_window_closed and is_sql_within_window then 1 else 0 end
        ) as sql_reached,
        sum(
            case when lead_score is not null and is_sql_window_closed then lead_score else 0 end
        ) as lead_score_sum,
        sum(
            case
                when lead_score is not null and is_sql_window_closed
                    then
                        (lead_score - case when is_sql_within_window then 100 else 0 end)
                        * (lead_score - case when is_sql_within_window then 100 else 0 end)
                else 0
            end
        ) as squared_score_error_sum,
        sum(case when lead_score is not null and is_win_window_closed then 1 else 0 end) as win_scored,
        sum(
            case when lead_score is not null and is_win_window_closed and is_won_within_window then 1 else 0 end
        ) as win_reached
    from handoff_rows
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

-- One row per rejected handoff for each grain, by rejection reason.
rejection_rows as (
    {%- for grain in gtm_grains() %}
        select
            '{{ grain }}' as grain,
            {{ gtm_period_start('handed_off_date', grain) }} as period_start,
            'rejection_reason' as dimension_name,
            coalesce(first_verdict_reason, '(unknown)') as dimension_value
        from fct_lead_handoffs
        where first_verdict = 'rejected'
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

rejection_aggregates as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as rejected
    from rejection_rows
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

-- Lost opportunities of handed-off people, closed on or before the as-of
-- date, with the person's attributes. The funnel's stage order puts every
-- opportunity of a person at or after the person's MQL time.
lost_deals as (
    select
        fct_opportunities.opportunity_id,
        fct_opportunities.close_date,
        fct_opportunities.loss_reason,
        fct_opportunities.amount_reporting,
        fct_lead_handoffs.lead_score_band,
        fct_lead_handoffs.channel,
        fct_lead_handoffs.campaign,
        fct_lead_handoffs.segment
    from fct_opportunities
    inner join fct_lead_handoffs
        on fct_opportunities.person_id = fct_lead_handoffs.person_id
    where
        fct_opportunities.is_lost
        and fct_opportunities.close_date <= fct_lead_handoffs.as_of_date
),

-- One row per lost deal for each grain and dimension it counts towards.
lost_deal_rows as (
    {%- for grain in gtm_grains() %}
        {%- set outer_loop = loop %}
        {%- for dimension in dimensions + ['loss_reason'] %}
            select
                '{{ grain }}' as grain,
                {{ gtm_period_start('close_date', grain) }} as period_start,
                '{{ dimension }}' as dimension_name,
                {{ dimension_values[dimension] }} as dimension_value,
                amount_reporting
            from lost_deals
            {%- if not (outer_loop.last and loop.last) %}

                union all
            {% endif -%}
        {%- endfor %}
    {%- endfor %}
),

lost_deal_aggregates as (
    select
        grain,
        period_start,
        dimension_name,
        dimension_value,
        count(*) as lost_deals,
        sum(amount_reporting) as lost_amount
    from lost_deal_rows
    group by
        grain,
        period_start,
        dimension_name,
        dimension_value
),

-- Long shape: one select per metric. A ratio's value is null when its
-- denominator is zero.
metric_rows as (
    {#- (metric_name, numerator, denominator column, unit) over
        handoff_aggregates; the Brier score is the mean squared error of
        score / 100 against the outcome. #}
    {%- set ratios = [
        ('feedback_sla_attainment_rate', 'sla_met', 'sla_due', 'ratio'),
        ('feedback_acceptance_rate', 'accepted', 'verdicts', 'ratio'),
        ('feedback_rejection_rate', 'rejected', 'verdicts', 'ratio'),
        ('feedback_recycle_rate', 'recycled', 'verdicts', 'ratio'),
        ('lead_quality_predicted_sql_rate', 'cast(lead_score_sum as double precision) / 100', 'sql_scored', 'ratio'),
        ('lead_quality_sql_rate', 'sql_reached', 'sql_scored', 'ratio'),
        ('lead_quality_win_rate', 'win_reached', 'win_scored', 'ratio'),
        ('lead_quality_brier_score', 'cast(squared_score_error_sum as double precision) / 10000', 'sql_scored',
            'score'),
    ] %}
    {#- (metric_name, relation, value expression, unit, condition) -#}
    {%- set values = [
        ('feedback_median_hours_to_verdict', 'handoff_aggregates', 'median_hours_to_verdict', 'hours',
            'verdicts_timed > 0'),
        ('feedback_recycled_leads', 'handoff_aggregates', 'recycled', 'count', 'true'),
        ('feedback_rejected_leads', 'handoff_aggregates', 'rejected', 'count', 'true'),
        ('feedback_rejected_leads', 'rejection_aggregates', 'rejected', 'count', 'true'),
        ('feedback_lost_deals', 'lost_deal_aggregates', 'lost_deals', 'count', 'true'),
        ('feedback_lost_deal_amount', 'lost_deal_aggregates', 'coalesce(lost_amount, 0)', currency, 'true'),
    ] %}
    {%- for metric_name, numerator, denominator, unit in ratios %}
        select
            '{{ metric_name }}' as metric_name,
            grain,
            period_start,
            dimension_name,
            dimension_value,
            case
                when {{ denominator }} > 0
                    then cast({{ numerator }} as double precision) / cast({{ denominator }} as double precision)
            end as value,  -- noqa: RF04
            cast({{ numerator }} as double precision) as numerator,
            cast({{ denominator }} as double precision) as denominator,
            '{{ unit }}' as unit
        from handoff_aggregates

        union all
    {% endfor %}
    {%- for metric_name, relation, value, unit, condition in values %}
        select
            '{{ metric_name }}' as metric_name,
            grain,
            period_start,
            dimension_name,
            dimension_value,
            cast({{ value }} as double precision) as value,  -- noqa: RF04
            cast(null as double precision) as numerator,
            cast(null as double precision) as denominator,
            '{{ dbt.escape_single_quotes(unit) }}' as unit
        from {{ relation }}
        where {{ condition }}
        {%- if not loop.last %}

            union all
        {% endif -%}
    {%- endfor %}
),

typed_metric_rows as (
    select
        cast(metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(1 as integer) as metric_version,
        cast(grain as {{ dbt.type_string() }}) as grain,
        cast(period_start as date) as period_start,
        cast(dimension_name as {{ dbt.type_string() }}) as dimension_name,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(value as double precision) as value,  -- noqa: RF04
        cast(numerator as double precision) as numerator,
        cast(denominator as double precision) as denominator,
        cast(unit as {{ dbt.type_string() }}) as unit
    from metric_rows
)

select * from typed_metric_rows
