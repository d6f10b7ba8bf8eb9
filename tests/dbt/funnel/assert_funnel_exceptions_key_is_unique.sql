-- One row per exception type and record.
with

fct_funnel_exceptions as (
    select * from {{ ref('fct_funnel_exceptions') }}
),

duplicates as (
    select
        exception_type,
        record_type,
        record_id,
        count(*) as row_count
    from fct_funnel_exceptions
    group by
        exception_type,
        record_type,
        record_id
    having count(*) > 1
)

select * from duplicates
