-- One row per input row that staging could not use, with every reason.
-- Rows land here instead of being dropped, so every row read is either
-- used or counted here (see stg_gtm__row_counts).
with

quarantined_rows as (
    select
        'accounts' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        account_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__accounts_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'leads' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        lead_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__leads_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'lead_activities' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        activity_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__lead_activities_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'lead_qualifications' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        qualification_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__lead_qualifications_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'lead_feedback' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        feedback_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__lead_feedback_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'opportunities' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        opportunity_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__opportunities_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'opportunity_stage_history' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        history_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__opportunity_stage_history_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'subscriptions' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        subscription_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__subscriptions_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'spend' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        spend_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__spend_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'product_usage' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        event_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__product_usage_checked') }}
    where _quarantine_reason is not null

    union all

    select
        'exchange_rates' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        exchange_rate_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__exchange_rates_checked') }}
    where _quarantine_reason is not null
)

select * from quarantined_rows
