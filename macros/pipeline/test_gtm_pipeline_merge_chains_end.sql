{#- Fails with one row per opportunity record whose merge chain did not end
    within var gtm_pipeline_max_merge_depth merges (a merge cycle, or a longer
    chain). Such a record counts as the record its chain stopped at, which
    in a cycle is often itself. -#}
{% test gtm_pipeline_merge_chains_end(model) %}

select
    opportunity_id,
    merged_into_opportunity_id,
    merge_depth
from {{ model }}
where merge_depth >= {{ var('gtm_pipeline_max_merge_depth') }}

{% endtest %}
