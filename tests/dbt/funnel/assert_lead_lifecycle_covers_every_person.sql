-- The lifecycle has exactly the people that identity resolution produced,
-- so no person is lost or invented between the two. Returns the people
-- found on one side only.
with

int_lead_records_resolved as (
    select * from {{ ref('int_lead_records_resolved') }}
),

fct_lead_lifecycle as (
    select * from {{ ref('fct_lead_lifecycle') }}
),

resolved_people as (
    select distinct person_id
    from int_lead_records_resolved
),

mismatches as (
    select
        coalesce(resolved_people.person_id, fct_lead_lifecycle.person_id) as person_id,
        resolved_people.person_id is null as is_missing_from_resolution,
        fct_lead_lifecycle.person_id is null as is_missing_from_lifecycle
    from resolved_people
    full outer join fct_lead_lifecycle
        on resolved_people.person_id = fct_lead_lifecycle.person_id
    where
        resolved_people.person_id is null
        or fct_lead_lifecycle.person_id is null
)

select * from mismatches
