-- Subscriptions quarantined for an unknown billing interval. Such a
-- subscription has no monthly equivalent, so MRR would silently lose it.
-- The build fails until the interval is mapped to week, month, quarter,
-- year or one_time.
{{ config(severity = 'error') }}

select
    source_file,
    source_row,
    record_id,
    reason
from {{ ref('stg_gtm__quarantine') }}
where
    source_table = 'subscriptions'
    and reason like '%billing_interval: unknown value%'
