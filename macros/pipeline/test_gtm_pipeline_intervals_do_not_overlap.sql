{#- Fails with one row per pair of stage visits of the same opportunity whose
    intervals [entered_at, exited_at) overlap (a later visit starting before
    an earlier one ends, or any visit after one without an exit), and per
    visit that ends before it starts. Zero-length visits at a boundary do not
    overlap. -#}
{% test gtm_pipeline_intervals_do_not_overlap(model) %}

with

backwards_visits as (
    select
        opportunity_id,
        stage_visit_number,
        stage_visit_number as other_visit_number,
        'exited before entered' as problem
    from {{ model }}
    where exited_at < entered_at
),

overlapping_visits as (
    select
        visits.opportunity_id,
        visits.stage_visit_number,
        later_visits.stage_visit_number as other_visit_number,
        'overlaps a later visit' as problem
    from {{ model }} as visits
    inner join {{ model }} as later_visits
        on
            visits.opportunity_id = later_visits.opportunity_id
            and visits.stage_visit_number < later_visits.stage_visit_number
    where
        visits.exited_at is null
        or later_visits.entered_at < visits.exited_at
)

select * from backwards_visits

union all

select * from overlapping_visits

{% endtest %}
