-- Fails for every contract table where a row read was neither used by
-- staging nor counted in quarantine, or was counted twice.
select
    source_table,
    rows_read,
    rows_used,
    rows_quarantined
from {{ ref('stg_gtm__row_counts') }}
where rows_read <> rows_used + rows_quarantined
