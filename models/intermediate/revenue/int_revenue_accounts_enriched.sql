{#- Acquisition channel rule: the source channel of the account's person with
    the earliest first touch (ties: lowest person_id); '(unknown)' when the
    account has no person or the person has no channel. -#}
with

int_subscriptions_normalized as (
    select * from {{ ref('int_subscriptions_normalized') }}
),

stg_gtm__accounts as (
    select * from {{ ref('stg_gtm__accounts') }}
),

-- Every account that has a subscription, known to the CRM or not.
subscribed_accounts as (
    select distinct account_id
    from int_subscriptions_normalized
),

enriched as (
    select
        subscribed_accounts.account_id,
        coalesce(stg_gtm__accounts.segment, '(unknown)') as segment,
        '(unknown)' as acquisition_channel
    from subscribed_accounts
    left join stg_gtm__accounts
        on subscribed_accounts.account_id = stg_gtm__accounts.account_id
)

select * from enriched
