{#- Acquisition channel rule: the source channel of the account's person with
    the earliest first touch (ties: lowest person_id); '(unknown)' when the
    account has no person or that person has no channel. -#}
with

int_subscriptions_normalized as (
    select * from {{ ref('int_subscriptions_normalized') }}
),

stg_gtm__accounts as (
    select * from {{ ref('stg_gtm__accounts') }}
),

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

-- Every account that has a subscription, known to the CRM or not.
subscribed_accounts as (
    select distinct account_id
    from int_subscriptions_normalized
),

-- One segment per account id (the CRM may repeat an id): the lowest
-- non-empty segment, so the choice never depends on row order.
account_segments as (
    select
        account_id,
        min(segment) as segment
    from stg_gtm__accounts
    group by account_id
),

ranked_people as (
    select
        account_id,
        source_channel,
        row_number() over (
            partition by account_id
            order by first_touch_at asc, person_id asc
        ) as person_rank
    from fct_lead_lifecycle
    where account_id is not null
),

enriched as (
    select
        subscribed_accounts.account_id,
        coalesce(account_segments.segment, '(unknown)') as segment,
        coalesce(ranked_people.source_channel, '(unknown)') as acquisition_channel
    from subscribed_accounts
    left join account_segments
        on subscribed_accounts.account_id = account_segments.account_id
    left join ranked_people
        on
            subscribed_accounts.account_id = ranked_people.account_id
            and ranked_people.person_rank = 1
)

select * from enriched
