{#- Write the `message` column of the first 10 rows of `failing_rows_sql`
    to the log, so a failing test names what failed without
    --store-failures. Runs only when every relation in `relations` exists. -#}
{% macro gtm_log_test_messages(failing_rows_sql, relations) -%}
    {%- if execute -%}
        {%- for relation in relations -%}
            {%- if load_relation(relation) is none -%}
                {{- return('') -}}
            {%- endif -%}
        {%- endfor -%}
        {%- set found = run_query("select message from (" ~ failing_rows_sql ~ ") as failing_rows order by message limit 10") -%}
        {%- for row in found.rows -%}
            {{- log(row['message'], info=true) -}}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
