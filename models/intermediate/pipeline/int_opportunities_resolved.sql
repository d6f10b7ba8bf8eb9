-- One row per surviving opportunity: merged copies folded into their
-- survivor, deleted opportunities left out (int_opportunity_records_resolved
-- counts both), and status, close and reopen count read from the stage
-- visits, whose last visit is the current stage.
with

stg_gtm__opportunities as (
    select * from {{ ref('stg_gtm__opportunities') }}
),

int_opportunity_records_resolved as (
    select * from {{ ref('int_opportunity_records_resolved') }}
),

int_opportunity_stage_visits_sequenced as (
    select * from {{ ref('int_opportunity_stage_visits_sequenced') }}
),

int_exchange_rates_to_reporting as (
    select * from {{ ref('int_exchange_rates_to_reporting') }}
),

-- Business dates seen in the pipeline input; the latest is the as-of date
-- when var gtm_as_of_date is null.
pipeline_dates as (
    select {{ gtm_business_date('created_at') }} as business_date
    from stg_gtm__opportunities

    union all

    select entered_date as business_date
    from int_opportunity_stage_visits_sequenced
),

as_of as (
    select {{ gtm_as_of_date('pipeline_dates', 'business_date') }} as as_of_date
),

merged_records as (
    select
        survivor_opportunity_id as opportunity_id,
        count(*) as merged_record_count
    from int_opportunity_records_resolved
    where record_status = 'merged'
    group by survivor_opportunity_id
),

real_visits as (
    select
        opportunity_id,
        stage_visit_number,
        canonical_stage,
        stage_order,
        is_open,
        is_won,
        is_lost,
        is_qualified,
        visit_source,
        entered_at,
        entered_date,
        lag(is_open) over (
            partition by opportunity_id
            order by stage_visit_number
        ) as is_previous_open,
        row_number() over (
            partition by opportunity_id
            order by stage_visit_number desc
        ) as visits_after
    from int_opportunity_stage_visits_sequenced
    where not is_skipped
),

-- A reopen is a visit that follows a closed stage.
reopens as (
    select
        opportunity_id,
        sum(case when is_previous_open = false then 1 else 0 end) as reopen_count,
        max(case when is_lost then 1 else 0 end) as was_ever_lost
    from real_visits
    group by opportunity_id
),

final_visits as (
    select * from real_visits
    where visits_after = 1
),

opportunities as (
    select
        stg_gtm__opportunities.opportunity_id,
        stg_gtm__opportunities.lead_id,
        stg_gtm__opportunities.account_id,
        stg_gtm__opportunities.owner_id,
        stg_gtm__opportunities.pipeline_id,
        stg_gtm__opportunities.stage_name,
        final_visits.canonical_stage,
        final_visits.stage_order,
        stg_gtm__opportunities.created_at,
        {{ gtm_business_date('stg_gtm__opportunities.created_at') }} as created_date,
        final_visits.is_open,
        final_visits.is_won,
        final_visits.is_lost,
        coalesce(final_visits.is_open and final_visits.is_qualified, false) as is_qualified,
        case when final_visits.is_open = false then final_visits.entered_at end as closed_at,
        -- Closed deals close on the business date of their final closed stage;
        -- a close known only from the current stage uses the CRM close date.
        case
            when final_visits.is_open = false and final_visits.visit_source = 'history'
                then final_visits.entered_date
            when final_visits.is_open = false
                then coalesce(stg_gtm__opportunities.close_date, final_visits.entered_date)
            else stg_gtm__opportunities.close_date
        end as close_date,
        stg_gtm__opportunities.close_date as crm_close_date,
        stg_gtm__opportunities.amount,
        stg_gtm__opportunities.currency,
        stg_gtm__opportunities.probability,
        stg_gtm__opportunities.loss_reason,
        coalesce(reopens.reopen_count, 0) as reopen_count,
        coalesce(merged_records.merged_record_count, 0) as merged_record_count,
        stg_gtm__opportunities.is_closed as crm_is_closed,
        stg_gtm__opportunities.is_won as crm_is_won,
        -- The stage mapping decides status; the CRM flags only raise this flag.
        coalesce(
            stg_gtm__opportunities.is_closed = final_visits.is_open
            or stg_gtm__opportunities.is_won <> final_visits.is_won,
            false
        ) as has_status_conflict
    from stg_gtm__opportunities
    inner join int_opportunity_records_resolved
        on stg_gtm__opportunities.opportunity_id = int_opportunity_records_resolved.opportunity_id
    left join final_visits
        on stg_gtm__opportunities.opportunity_id = final_visits.opportunity_id
    left join reopens
        on stg_gtm__opportunities.opportunity_id = reopens.opportunity_id
    left join merged_records
        on stg_gtm__opportunities.opportunity_id = merged_records.opportunity_id
    where int_opportunity_records_resolved.record_status = 'survivor'
),

-- Closed deals convert at the rate of their close date, open deals at the
-- rate of the as-of date.
conversion_dates as (
    select
        opportunities.*,
        case
            when opportunities.is_open = false then opportunities.close_date
            else as_of.as_of_date
        end as conversion_date,
        as_of.as_of_date
    from opportunities
    cross join as_of
),

opportunities_converted as (
    select
        conversion_dates.*,
        int_exchange_rates_to_reporting.rate_to_reporting,
        cast(
            conversion_dates.amount * int_exchange_rates_to_reporting.rate_to_reporting as decimal(38, 4)
        ) as amount_reporting
    from conversion_dates
    left join int_exchange_rates_to_reporting
        on {{ gtm_rate_valid_on(
            'int_exchange_rates_to_reporting',
            'conversion_dates.currency',
            'conversion_dates.conversion_date'
        ) }}
)

select * from opportunities_converted
