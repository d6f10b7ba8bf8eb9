-- The definition fields of new_mqls version 1 and version 2 side by side
-- (label, docs block text, filters, time dimension, hashes...), one row
-- per field, with is_changed true where the two texts differ. The text and
-- hash fields are filled after `gtm-metrics catalog` has run.
{{ catalog_definition_field_diff('new_mqls', 1, 2) }}
