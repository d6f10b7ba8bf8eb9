-- Build the report's two input relations from the CSV files beside this
-- file. {folder} is replaced with this folder's path. Every column is read
-- as text and cast here, so no value depends on type sniffing.
create table metrics as
select
    metric_name,
    cast(metric_version as integer) as metric_version,
    grain,
    cast(period_start as date) as period_start,
    dimension_name,
    dimension_value,
    cast(nullif(value, '') as double) as value,
    cast(nullif(numerator, '') as double) as numerator,
    cast(nullif(denominator, '') as double) as denominator,
    unit
from read_csv('{folder}/metrics.csv', all_varchar = true, header = true);

create table metric_definitions as
select
    metric_name,
    cast(metric_version as integer) as metric_version,
    label,
    nullif(definition, '') as definition,
    nullif(numerator, '') as numerator,
    nullif(denominator, '') as denominator,
    nullif(filters, '') as filters,
    nullif(time_dimension, '') as time_dimension,
    unit,
    owner_group,
    computed_by,
    status,
    cast(nullif(deprecation_date, '') as date) as deprecation_date,
    nullif(definition_sha256, '') as definition_sha256,
    nullif(compiled_sql_sha256, '') as compiled_sql_sha256,
    hash_status
from read_csv('{folder}/metric_definitions.csv', all_varchar = true, header = true);
