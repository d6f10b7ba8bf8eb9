-- One row per surviving opportunity with its current stage, status, dates,
-- amounts, sales cycle and originating lead.
with

int_opportunities_resolved as (
    select * from {{ ref('int_opportunities_resolved') }}
),

stg_gtm__accounts as (
    select * from {{ ref('stg_gtm__accounts') }}
),

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

-- At most one row per account, so no account link can repeat a deal.
accounts as (
    select
        account_id,
        segment,
        row_number() over (
            partition by account_id
            order by
                case when is_deleted then 1 else 0 end,
                case when segment is null then 1 else 0 end,
                segment
        ) as account_rank
    from stg_gtm__accounts
),

-- The originating lead record resolved to its person, for the first touch
-- and the acquisition channel.
originating_people as (
    select
        int_lead_records_resolved.lead_id,
        fct_lead_lifecycle.person_id,
        fct_lead_lifecycle.source_channel,
        fct_lead_lifecycle.campaign,
        fct_lead_lifecycle.segment,
        fct_lead_lifecycle.first_touch_at,
        fct_lead_lifecycle.first_touch_date
    from int_lead_records_resolved
    inner join fct_lead_lifecycle
        on int_lead_records_resolved.person_id = fct_lead_lifecycle.person_id
),

opportunities as (
    select
        int_opportunities_resolved.opportunity_id,
        int_opportunities_resolved.lead_id,
        originating_people.person_id,
        int_opportunities_resolved.account_id,
        int_opportunities_resolved.owner_id,
        int_opportunities_resolved.pipeline_id,
        coalesce(accounts.segment, originating_people.segment) as segment,
        originating_people.source_channel,
        originating_people.campaign,
        int_opportunities_resolved.stage_name,
        int_opportunities_resolved.canonical_stage,
        int_opportunities_resolved.stage_order,
        int_opportunities_resolved.is_open,
        int_opportunities_resolved.is_won,
        int_opportunities_resolved.is_lost,
        int_opportunities_resolved.is_qualified,
        int_opportunities_resolved.created_at,
        int_opportunities_resolved.created_date,
        int_opportunities_resolved.closed_at,
        int_opportunities_resolved.close_date,
        int_opportunities_resolved.amount,
        int_opportunities_resolved.currency,
        int_opportunities_resolved.conversion_date,
        int_opportunities_resolved.rate_to_reporting,
        int_opportunities_resolved.amount_reporting,
        int_opportunities_resolved.probability,
        -- Only open deals carry weighted pipeline, because a closed deal is
        -- no longer pipeline whatever probability the CRM still shows.
        case
            when int_opportunities_resolved.is_open
                then int_opportunities_resolved.amount_reporting * int_opportunities_resolved.probability
        end as weighted_amount_reporting,
        int_opportunities_resolved.loss_reason,
        int_opportunities_resolved.reopen_count,
        int_opportunities_resolved.merged_record_count,
        int_opportunities_resolved.has_status_conflict,
        originating_people.first_touch_at,
        originating_people.first_touch_date,
        case
            when int_opportunities_resolved.is_open = false
                then {{ dbt.datediff(
                    'int_opportunities_resolved.created_date',
                    'int_opportunities_resolved.close_date',
                    'day'
                ) }}
        end as days_created_to_close,
        case
            when int_opportunities_resolved.is_open = false
                then {{ dbt.datediff(
                    'originating_people.first_touch_date',
                    'int_opportunities_resolved.close_date',
                    'day'
                ) }}
        end as days_first_touch_to_close
    from int_opportunities_resolved
    left join accounts
        on
            int_opportunities_resolved.account_id = accounts.account_id
            and accounts.account_rank = 1
    left join originating_people
        on int_opportunities_resolved.lead_id = originating_people.lead_id
),

-- Sales cycle and lead-to-close in whole business days; a close dated
-- before the start leaves the figure null instead of negative.
opportunities_timed as (
    select
        opportunity_id,
        lead_id,
        person_id,
        account_id,
        owner_id,
        pipeline_id,
        segment,
        source_channel,
        campaign,
        stage_name,
        canonical_stage,
        stage_order,
        is_open,
        is_won,
        is_lost,
        is_qualified,
        created_at,
        created_date,
        closed_at,
        close_date,
        amount,
        currency,
        conversion_date,
        rate_to_reporting,
        amount_reporting,
        probability,
        weighted_amount_reporting,
        loss_reason,
        reopen_count,
        merged_record_count,
        has_status_conflict,
        first_touch_at,
        first_touch_date,
        case when days_created_to_close >= 0 then days_created_to_close end as sales_cycle_days,
        case
            when days_created_to_close >= 0
                then cast(days_created_to_close as double precision) / 7
        end as sales_cycle_weeks,
        case when days_first_touch_to_close >= 0 then days_first_touch_to_close end as lead_to_close_days
    from opportunities
),

fct_opportunities as (
    select
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(person_id as {{ dbt.type_string() }}) as person_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(pipeline_id as {{ dbt.type_string() }}) as pipeline_id,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(source_channel as {{ dbt.type_string() }}) as source_channel,
        cast(campaign as {{ dbt.type_string() }}) as campaign,
        cast(stage_name as {{ dbt.type_string() }}) as stage_name,
        cast(canonical_stage as {{ dbt.type_string() }}) as canonical_stage,
        cast(stage_order as integer) as stage_order,
        cast(is_open as boolean) as is_open,
        cast(is_won as boolean) as is_won,
        cast(is_lost as boolean) as is_lost,
        cast(is_qualified as boolean) as is_qualified,
        cast(created_at as timestamp) as created_at,
        cast(created_date as date) as created_date,
        cast(closed_at as timestamp) as closed_at,
        cast(close_date as date) as close_date,
        cast(amount as decimal(38, 4)) as amount,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast('{{ dbt.escape_single_quotes(var("gtm_reporting_currency")) }}' as {{ dbt.type_string() }})
            as reporting_currency,
        cast(conversion_date as date) as conversion_date,
        cast(rate_to_reporting as decimal(38, 12)) as rate_to_reporting,
        cast(amount_reporting as decimal(38, 4)) as amount_reporting,
        cast(probability as decimal(18, 6)) as probability,
        cast(weighted_amount_reporting as decimal(38, 4)) as weighted_amount_reporting,
        cast(loss_reason as {{ dbt.type_string() }}) as loss_reason,
        cast(sales_cycle_days as integer) as sales_cycle_days,
        cast(sales_cycle_weeks as double precision) as sales_cycle_weeks,
        cast(first_touch_at as timestamp) as first_touch_at,
        cast(first_touch_date as date) as first_touch_date,
        cast(lead_to_close_days as integer) as lead_to_close_days,
        cast(reopen_count as integer) as reopen_count,
        cast(merged_record_count as integer) as merged_record_count,
        cast(has_status_conflict as boolean) as has_status_conflict
    from opportunities_timed
)

select * from fct_opportunities
