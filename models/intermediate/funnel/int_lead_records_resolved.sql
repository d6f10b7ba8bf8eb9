{#- Identity resolution of lead and contact records into people.
    1. Merges: each record follows merged_into_lead_id, transitively, to its
       survivor. A link to a record that is not in staging ends the chain;
       records whose links form a cycle share the smallest id in the cycle.
    2. Deletion: a merge group (a survivor and the records merged into it) is
       deleted when its survivor is deleted. The delete flag of a merged-away
       record is ignored, because CRMs usually delete the losing record of a
       merge.
    3. Email: live merge groups that share a normalised email (trimmed, lower
       case, blank as missing) are one person, transitively. Missing emails
       never match each other. Deleted groups stay people of their own.
    4. Conversion duplicates: a live group without any email whose survivor
       was created within var funnel_duplicate_window_seconds of a live
       record with an email and the same first name (last name and account
       missing or equal) joins that record's person.
    person_id is the smallest survivor lead_id of the person. -#}

with recursive

stg_gtm__leads as (
    select * from {{ ref('stg_gtm__leads') }}
),

records as (
    select
        lead_id,
        nullif(lower(trim(email)), '') as email_normalized,
        nullif(lower(trim(first_name)), '') as first_name_normalized,
        nullif(lower(trim(last_name)), '') as last_name_normalized,
        account_id,
        source_channel,
        campaign,
        segment,
        lead_score,
        created_at,
        is_deleted,
        merged_into_lead_id
    from stg_gtm__leads
),

-- One row per merge link whose target record exists.
merge_links as (
    select
        records.lead_id,
        records.merged_into_lead_id as target_lead_id
    from records
    inner join records as targets
        on records.merged_into_lead_id = targets.lead_id
),

-- Every record reachable from each record through one or more merge links.
-- union (not union all) keeps the walk finite when links form a cycle.
merge_reach (lead_id, reached_lead_id) as (
    select
        lead_id,
        target_lead_id
    from merge_links

    union

    select
        merge_reach.lead_id,
        merge_links.target_lead_id
    from merge_reach
    inner join merge_links
        on merge_reach.reached_lead_id = merge_links.lead_id
),

-- Records that reach themselves: members of a merge cycle.
merge_cycle_members as (
    select distinct lead_id
    from merge_reach
    where lead_id = reached_lead_id
),

-- One row per record: the end of its merge chain, or the smallest cycle
-- member it reaches when the chain ends in a cycle.
merge_survivors as (
    select
        merge_reach.lead_id,
        min(
            case when merge_links.lead_id is null then merge_reach.reached_lead_id end
        ) as chain_end_lead_id,
        min(
            case when merge_cycle_members.lead_id is not null then merge_reach.reached_lead_id end
        ) as cycle_lead_id
    from merge_reach
    left join merge_links
        on merge_reach.reached_lead_id = merge_links.lead_id
    left join merge_cycle_members
        on merge_reach.reached_lead_id = merge_cycle_members.lead_id
    group by merge_reach.lead_id
),

records_with_survivor as (
    select
        records.*,
        coalesce(
            merge_survivors.chain_end_lead_id,
            merge_survivors.cycle_lead_id,
            records.lead_id
        ) as survivor_lead_id,
        case
            when
                merge_survivors.chain_end_lead_id is null
                and merge_survivors.cycle_lead_id is not null
                then 'merge cycle'
            when
                records.merged_into_lead_id is not null
                and merge_survivors.lead_id is null
                then 'merge target not found'
        end as merge_issue
    from records
    left join merge_survivors
        on records.lead_id = merge_survivors.lead_id
),

-- One row per merge group, keyed by its survivor.
merge_groups as (
    select
        records_with_survivor.survivor_lead_id,
        survivors.is_deleted as is_group_deleted,
        survivors.created_at as survivor_created_at,
        survivors.first_name_normalized,
        survivors.last_name_normalized,
        survivors.account_id,
        max(case when records_with_survivor.email_normalized is not null then 1 else 0 end) as has_email
    from records_with_survivor
    inner join records as survivors
        on records_with_survivor.survivor_lead_id = survivors.lead_id
    group by
        records_with_survivor.survivor_lead_id,
        survivors.is_deleted,
        survivors.created_at,
        survivors.first_name_normalized,
        survivors.last_name_normalized,
        survivors.account_id
),

-- One row per live merge group and email found on any of its records.
live_group_emails as (
    select distinct
        records_with_survivor.survivor_lead_id,
        records_with_survivor.email_normalized
    from records_with_survivor
    inner join merge_groups
        on records_with_survivor.survivor_lead_id = merge_groups.survivor_lead_id
    where
        records_with_survivor.email_normalized is not null
        and not merge_groups.is_group_deleted
),

-- Each email links every group that has it to the smallest such group.
email_anchors as (
    select
        email_normalized,
        min(survivor_lead_id) as anchor_lead_id
    from live_group_emails
    group by email_normalized
),

email_edges as (
    select
        live_group_emails.survivor_lead_id as from_lead_id,
        email_anchors.anchor_lead_id as to_lead_id
    from live_group_emails
    inner join email_anchors
        on live_group_emails.email_normalized = email_anchors.email_normalized
    where live_group_emails.survivor_lead_id <> email_anchors.anchor_lead_id

    union all

    select
        email_anchors.anchor_lead_id as from_lead_id,
        live_group_emails.survivor_lead_id as to_lead_id
    from live_group_emails
    inner join email_anchors
        on live_group_emails.email_normalized = email_anchors.email_normalized
    where live_group_emails.survivor_lead_id <> email_anchors.anchor_lead_id
),

-- Connected components of live merge groups over shared emails.
email_reach (survivor_lead_id, reached_lead_id) as (
    select
        survivor_lead_id,
        survivor_lead_id as reached_lead_id
    from merge_groups
    where not is_group_deleted

    union

    select
        email_reach.survivor_lead_id,
        email_edges.to_lead_id
    from email_reach
    inner join email_edges
        on email_reach.reached_lead_id = email_edges.from_lead_id
),

email_persons as (
    select
        survivor_lead_id,
        min(reached_lead_id) as person_id
    from email_reach
    group by survivor_lead_id
),

-- Candidate matches of a live group without email to a live record with an
-- email: same first name, created within the window, no conflicting last
-- name or account.
duplicate_candidates as (
    select
        merge_groups.survivor_lead_id,
        records_with_survivor.lead_id as matched_lead_id,
        email_persons.person_id as matched_person_id,
        abs({{ dbt.datediff('merge_groups.survivor_created_at', 'records_with_survivor.created_at', 'second') }})
            as seconds_apart
    from merge_groups
    inner join records_with_survivor
        on merge_groups.first_name_normalized = records_with_survivor.first_name_normalized
    inner join email_persons
        on records_with_survivor.survivor_lead_id = email_persons.survivor_lead_id
    where
        merge_groups.has_email = 0
        and not merge_groups.is_group_deleted
        and records_with_survivor.email_normalized is not null
        and abs({{ dbt.datediff('merge_groups.survivor_created_at', 'records_with_survivor.created_at', 'second') }})
        <= {{ var('funnel_duplicate_window_seconds') }}
        and (
            merge_groups.last_name_normalized is null
            or records_with_survivor.last_name_normalized is null
            or merge_groups.last_name_normalized = records_with_survivor.last_name_normalized
        )
        and (
            merge_groups.account_id is null
            or records_with_survivor.account_id is null
            or merge_groups.account_id = records_with_survivor.account_id
        )
),

-- The closest candidate wins; ties go to the smallest lead_id.
duplicate_matches as (
    select
        survivor_lead_id,
        matched_lead_id,
        matched_person_id
    from (
        select
            duplicate_candidates.*,
            row_number() over (
                partition by duplicate_candidates.survivor_lead_id
                order by duplicate_candidates.seconds_apart asc, duplicate_candidates.matched_lead_id asc
            ) as match_rank
        from duplicate_candidates
    ) as ranked
    where match_rank = 1
),

resolved as (
    select
        records_with_survivor.lead_id,
        coalesce(
            duplicate_matches.matched_person_id,
            email_persons.person_id,
            records_with_survivor.survivor_lead_id
        ) as person_id,
        records_with_survivor.survivor_lead_id,
        records_with_survivor.email_normalized,
        records_with_survivor.email_normalized is not null as has_email,
        records_with_survivor.account_id,
        records_with_survivor.source_channel,
        records_with_survivor.campaign,
        records_with_survivor.segment,
        records_with_survivor.lead_score,
        records_with_survivor.created_at,
        records_with_survivor.is_deleted,
        records_with_survivor.survivor_lead_id <> records_with_survivor.lead_id as is_merged_away,
        merge_groups.is_group_deleted as is_person_deleted,
        duplicate_matches.matched_lead_id is not null as is_probable_duplicate,
        duplicate_matches.matched_lead_id as duplicate_of_lead_id,
        records_with_survivor.merge_issue
    from records_with_survivor
    inner join merge_groups
        on records_with_survivor.survivor_lead_id = merge_groups.survivor_lead_id
    left join email_persons
        on records_with_survivor.survivor_lead_id = email_persons.survivor_lead_id
    left join duplicate_matches
        on records_with_survivor.survivor_lead_id = duplicate_matches.survivor_lead_id
)

select * from resolved
