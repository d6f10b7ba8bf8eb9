-- One row per input table: rows read, rows used by staging and rows sent
-- to quarantine. Each side is counted from its own relation, so the test on
-- this model checks read = used + quarantined independently of the logic.
with

table_counts as (
    select
        'accounts' as source_table,
        (select count(*) from {{ source('gtm', 'accounts') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__accounts') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__accounts_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'leads' as source_table,
        (select count(*) from {{ source('gtm', 'leads') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__leads') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__leads_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'lead_activities' as source_table,
        (select count(*) from {{ source('gtm', 'lead_activities') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__lead_activities') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__lead_activities_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'lead_qualifications' as source_table,
        (select count(*) from {{ source('gtm', 'lead_qualifications') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__lead_qualifications') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__lead_qualifications_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'lead_feedback' as source_table,
        (select count(*) from {{ source('gtm', 'lead_feedback') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__lead_feedback') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__lead_feedback_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'opportunities' as source_table,
        (select count(*) from {{ source('gtm', 'opportunities') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__opportunities') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__opportunities_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'opportunity_stage_history' as source_table,
        (select count(*) from {{ source('gtm', 'opportunity_stage_history') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__opportunity_stage_history') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__opportunity_stage_history_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'subscriptions' as source_table,
        (select count(*) from {{ source('gtm', 'subscriptions') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__subscriptions') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__subscriptions_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'spend' as source_table,
        (select count(*) from {{ source('gtm', 'spend') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__spend') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__spend_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'product_usage' as source_table,
        (select count(*) from {{ source('gtm', 'product_usage') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__product_usage') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__product_usage_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined

    union all

    select
        'exchange_rates' as source_table,
        (select count(*) from {{ source('gtm', 'exchange_rates') }}) as rows_read,
        (select count(*) from {{ ref('stg_gtm__exchange_rates') }}) as rows_used,
        (
            select count(*) from {{ ref('stg_gtm__exchange_rates_checked') }}
            where _quarantine_reason is not null
        ) as rows_quarantined
)

select * from table_counts
