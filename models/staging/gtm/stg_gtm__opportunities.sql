with

checked as (
    select * from {{ ref('stg_gtm__opportunities_checked') }}
),

usable as (
    select
        opportunity_id,
        account_id,
        lead_id,
        owner_id,
        coalesce(pipeline_id, 'default') as pipeline_id,
        stage_name,
        amount,
        coalesce(currency, '{{ dbt.escape_single_quotes(var("gtm_reporting_currency")) }}') as currency,
        probability,
        created_at,
        close_date,
        is_closed,
        is_won,
        loss_reason,
        coalesce(is_deleted, false) as is_deleted,
        merged_into_opportunity_id
    from checked
    where _quarantine_reason is null
)

select * from usable
