-- One row per input row that staging could not use, with every reason.
-- Rows land here instead of being dropped, so every row read is either
-- used or counted here (see stg_gtm__row_counts).
with

quarantined_rows as (
    select
        cast('accounts' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        account_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__accounts_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('leads' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        lead_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__leads_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('lead_activities' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        activity_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__lead_activities_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('lead_qualifications' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        qualification_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__lead_qualifications_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('lead_feedback' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        feedback_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__lead_feedback_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('opportunities' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        opportunity_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__opportunities_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('opportunity_stage_history' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        history_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__opportunity_stage_history_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('subscriptions' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        subscription_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__subscriptions_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('spend' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        spend_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__spend_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('product_usage' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        event_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__product_usage_checked') }}
    where _quarantine_reason is not null

    union all

    select
        cast('exchange_rates' as {{ dbt.type_string() }}) as source_table,
        _source_file as source_file,
        _source_row as source_row,
        _source_line as source_line,
        exchange_rate_id as record_id,
        _quarantine_reason as reason
    from {{ ref('stg_gtm__exchange_rates_checked') }}
    where _quarantine_reason is not null
)

select * from quarantined_rows
