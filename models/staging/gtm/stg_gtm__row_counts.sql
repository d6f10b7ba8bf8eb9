-- One row per input table: rows read, rows used by staging and rows sent
-- to quarantine. Each side is counted from its own relation, so the test on
-- this model checks read = used + quarantined independently of the logic.
with

table_counts as (
    select
        cast('accounts' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'accounts') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__accounts') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__accounts_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('leads' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'leads') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__leads') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__leads_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('lead_activities' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'lead_activities') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__lead_activities') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__lead_activities_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('lead_qualifications' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'lead_qualifications') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__lead_qualifications') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__lead_qualifications_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('lead_feedback' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'lead_feedback') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__lead_feedback') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__lead_feedback_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('opportunities' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'opportunities') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__opportunities') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__opportunities_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('opportunity_stage_history' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'opportunity_stage_history') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__opportunity_stage_history') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__opportunity_stage_history_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('subscriptions' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'subscriptions') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__subscriptions') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__subscriptions_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('spend' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'spend') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__spend') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__spend_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('product_usage' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'product_usage') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__product_usage') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__product_usage_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined

    union all

    select
        cast('exchange_rates' as {{ dbt.type_string() }}) as source_table,
        cast(
            (select count(*) from {{ source('gtm', 'exchange_rates') }}) as {{ dbt.type_bigint() }}
        ) as rows_read,
        cast(
            (select count(*) from {{ ref('stg_gtm__exchange_rates') }}) as {{ dbt.type_bigint() }}
        ) as rows_used,
        cast((
            select count(*) from {{ ref('stg_gtm__exchange_rates_checked') }}
            where _quarantine_reason is not null
        ) as {{ dbt.type_bigint() }}) as rows_quarantined
)

select * from table_counts
