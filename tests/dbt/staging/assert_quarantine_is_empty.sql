-- Lists every quarantined input row. A warning by default, because a
-- quarantined row is counted and explained; set var gtm_fail_on_quarantine
-- to true to make it fail the build.
{{ config(severity = 'error' if var('gtm_fail_on_quarantine', false) else 'warn') }}

select
    source_table,
    source_file,
    source_row,
    record_id,
    reason
from {{ ref('stg_gtm__quarantine') }}
