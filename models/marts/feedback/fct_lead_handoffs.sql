{#- One row per live person marketing handed to sales: an MQL under var
    feedback_handoff_mql_version reached by its own rule (an MQL implied
    only by a later stage was never handed over), at or before the as-of
    date. The handoff time is the MQL time. Each row carries the first
    verdict sales gave on the handoff, the SLA check, marketing's predicted
    quality (the lead score and its band) and the realised outcomes the
    calibration metrics compare it with. -#}

{%- set handoff_version = var('feedback_handoff_mql_version') | int -%}
{%- set mql = 'mql_v1' if handoff_version == 1 else 'mql' -%}
{%- set sla_hours = var('feedback_verdict_sla_hours') | int -%}
{%- set sql_window_days = var('feedback_sql_window_days') | int -%}
{%- set win_window_days = var('feedback_win_window_days') | int -%}
{%- set band_bounds = var('feedback_lead_score_band_bounds') | list -%}
{%- if band_bounds != band_bounds | sort or band_bounds | unique | list | length != band_bounds | length
    or band_bounds | select('le', 0) | list or band_bounds | select('ge', 100) | list -%}
    {{ exceptions.raise_compiler_error(
        "var feedback_lead_score_band_bounds must list increasing scores between 0 and 100 (exclusive), got "
        ~ band_bounds ~ "."
    ) }}
{%- endif -%}
{#- Bands are half-open, [lower,upper), and the last one is [last bound,100]. -#}
{%- set band_case = namespace(sql='case when lead_score is null then null', lower=0) -%}
{%- for bound in band_bounds -%}
    {%- set band_case.sql = band_case.sql ~ " when lead_score < " ~ bound
        ~ " then '[" ~ band_case.lower ~ "," ~ bound ~ ")'" -%}
    {%- set band_case.lower = bound -%}
{%- endfor -%}
{%- set band_case = band_case.sql ~ " else '[" ~ band_case.lower ~ ",100]' end" -%}

with

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

fct_lead_feedback as (
    select * from {{ ref('fct_lead_feedback') }}
),

as_of as (
    select max(as_of_date) as as_of_date
    from fct_lead_feedback
),

handoffs as (
    select
        fct_lead_lifecycle.person_id,
        fct_lead_lifecycle.{{ mql }}_at as handed_off_at,
        fct_lead_lifecycle.{{ mql }}_date as handed_off_date,
        fct_lead_lifecycle.source_channel as channel,
        fct_lead_lifecycle.campaign,
        fct_lead_lifecycle.segment,
        fct_lead_lifecycle.lead_score,
        fct_lead_lifecycle.is_sql,
        fct_lead_lifecycle.sql_at,
        fct_lead_lifecycle.is_won,
        fct_lead_lifecycle.won_date,
        as_of.as_of_date
    from fct_lead_lifecycle
    cross join as_of
    where
        not fct_lead_lifecycle.is_deleted
        and fct_lead_lifecycle.is_{{ mql }}
        and not fct_lead_lifecycle.is_{{ mql }}_implied
        and fct_lead_lifecycle.{{ mql }}_date <= as_of.as_of_date
),

handoff_verdicts as (
    select
        person_id,
        count(*) as verdict_count,
        sum(case when verdict = 'recycled' then 1 else 0 end) as recycled_verdict_count
    from fct_lead_feedback
    where feedback_role in ('handoff verdict', 'later verdict')
    group by person_id
),

first_verdicts as (
    select
        person_id,
        feedback_id,
        verdict,
        reason,
        recorded_at
    from fct_lead_feedback
    where feedback_role = 'handoff verdict'
),

handoffs_with_verdict as (
    select
        handoffs.*,
        first_verdicts.feedback_id as first_verdict_feedback_id,
        first_verdicts.verdict as first_verdict,
        first_verdicts.reason as first_verdict_reason,
        first_verdicts.recorded_at as first_verdict_at,
        cast(coalesce(handoff_verdicts.verdict_count, 0) as integer) as verdict_count,
        cast(coalesce(handoff_verdicts.recycled_verdict_count, 0) as integer) as recycled_verdict_count,
        {{ dbt.dateadd('hour', sla_hours, 'handoffs.handed_off_at') }} as sla_deadline_at,
        {{ dbt.dateadd('day', sql_window_days, 'handoffs.handed_off_date') }} as sql_window_end_date,
        {{ dbt.dateadd('day', win_window_days, 'handoffs.handed_off_date') }} as win_window_end_date
    from handoffs
    left join first_verdicts
        on handoffs.person_id = first_verdicts.person_id
    left join handoff_verdicts
        on handoffs.person_id = handoff_verdicts.person_id
),

handoff_outcomes as (
    select
        person_id,
        handed_off_at,
        handed_off_date,
        channel,
        campaign,
        segment,
        lead_score,
        {{ band_case }} as lead_score_band,
        cast(lead_score as double precision) / 100.0 as predicted_sql_probability,
        first_verdict_feedback_id,
        first_verdict,
        first_verdict_reason,
        first_verdict_at,
        cast(
            {{ dbt.datediff('handed_off_at', 'first_verdict_at', 'second') }} as double precision  -- noqa: LT05
        ) / 3600.0 as hours_to_verdict,
        verdict_count,
        recycled_verdict_count,
        sla_deadline_at,
        {{ gtm_business_date('sla_deadline_at') }} < as_of_date as is_sla_window_closed,
        coalesce(first_verdict_at <= sla_deadline_at, false) as is_verdict_within_sla,
        coalesce(
            is_sql and sql_at <= {{ dbt.dateadd('day', sql_window_days, 'handed_off_at') }},
            false
        ) as is_sql_within_window,
        cast(sql_window_end_date as date) < as_of_date as is_sql_window_closed,
        coalesce(is_won and won_date <= cast(win_window_end_date as date), false) as is_won_within_window,
        cast(win_window_end_date as date) < as_of_date as is_win_window_closed,
        as_of_date
    from handoffs_with_verdict
)

select * from handoff_outcomes
