{#- Fails with one row per pipeline and CRM stage name in `model` that has no
    row in the stage mapping; its message names the stage and the seed file
    to edit. `model` needs columns pipeline_id, stage_name and
    canonical_stage (null when unmapped). -#}
{% test gtm_pipeline_stages_mapped(model) %}

{%- set unmapped_sql %}
select
    pipeline_id,
    stage_name,
    count(*) as rows_with_stage,
    {{ dbt.concat([
        "'Unmapped stage: stage name '''",
        "stage_name",
        "''' of pipeline '''",
        "pipeline_id",
        "''' has no row in seeds/pipeline/gtm_stage_mapping.csv. Add a row mapping it to a canonical stage.'",
    ]) }} as message
from {{ model }}
where canonical_stage is null
group by
    pipeline_id,
    stage_name
{%- endset %}

{{- gtm_log_test_messages(unmapped_sql, [model]) }}

{{ unmapped_sql }}

{% endtest %}
