-- New MQLs under MQL version 1 ("raised a hand") against version 2 ("raised
-- a hand and fits"), per month over the same data: both values side by
-- side, the difference and the relative difference. Compile it with
-- `dbt compile --select mql_definition_diff` and run the SQL, or run
-- `gtm-metrics diff new_mqls`, which also shows the definition changes.
-- mql_definition_fields_diff lists the changed definition fields.
{{ catalog_metric_version_diff('new_mqls', 1, 2, grain='month', dimension_name='all') }}
