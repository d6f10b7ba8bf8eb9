with

lead_records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

activities as (
    select * from {{ ref('int_lead_activities_resolved') }}
),

-- Original source: the earliest-created record of the person that has a
-- value. Current attributes: the person's primary record (lead_id =
-- person_id) first, then the most recently created record with a value.
attribute_ranks as (
    select
        person_id,
        source_channel,
        campaign,
        account_id,
        segment,
        lead_score,
        row_number() over (
            partition by person_id
            order by case when source_channel is null then 1 else 0 end, created_at, lead_id
        ) as source_channel_rank,
        row_number() over (
            partition by person_id
            order by case when campaign is null then 1 else 0 end, created_at, lead_id
        ) as campaign_rank,
        row_number() over (
            partition by person_id
            order by
                case when account_id is null then 1 else 0 end,
                case when lead_id = person_id then 0 else 1 end,
                created_at desc,
                lead_id
        ) as account_rank,
        row_number() over (
            partition by person_id
            order by
                case when segment is null then 1 else 0 end,
                case when lead_id = person_id then 0 else 1 end,
                created_at desc,
                lead_id
        ) as segment_rank,
        row_number() over (
            partition by person_id
            order by
                case when lead_score is null then 1 else 0 end,
                case when lead_id = person_id then 0 else 1 end,
                created_at desc,
                lead_id
        ) as lead_score_rank
    from lead_records
),

person_attributes as (
    select
        person_id,
        max(case when source_channel_rank = 1 then source_channel end) as source_channel,
        max(case when campaign_rank = 1 then campaign end) as campaign,
        max(case when account_rank = 1 then account_id end) as account_id,
        max(case when segment_rank = 1 then segment end) as segment,
        max(case when lead_score_rank = 1 then lead_score end) as lead_score
    from attribute_ranks
    group by person_id
),

person_records as (
    select
        person_id,
        bool_or(is_person_deleted) as is_deleted,
        bool_or(has_email) as has_email,
        count(*) as record_count,
        min(created_at) as created_at
    from lead_records
    group by person_id
),

person_activities as (
    select
        person_id,
        count(*) as activity_count,
        min(occurred_at) as first_activity_at
    from activities
    group by person_id
),

people as (
    select
        person_records.person_id,
        person_records.is_deleted,
        person_attributes.account_id,
        person_attributes.source_channel,
        person_attributes.campaign,
        person_attributes.segment,
        person_attributes.lead_score,
        person_records.has_email,
        person_records.record_count,
        coalesce(person_activities.activity_count, 0) as activity_count,
        person_records.created_at,
        case
            when person_activities.first_activity_at < person_records.created_at
                then person_activities.first_activity_at
            else person_records.created_at
        end as first_touch_at
    from person_records
    inner join person_attributes
        on person_records.person_id = person_attributes.person_id
    left join person_activities
        on person_records.person_id = person_activities.person_id
),

lifecycle as (
    select
        person_id,
        is_deleted,
        account_id,
        source_channel,
        campaign,
        segment,
        lead_score,
        has_email,
        record_count,
        activity_count,
        created_at,
        {{ gtm_business_date('created_at') }} as created_date,
        first_touch_at,
        {{ gtm_business_date('first_touch_at') }} as first_touch_date
    from people
)

select * from lifecycle
