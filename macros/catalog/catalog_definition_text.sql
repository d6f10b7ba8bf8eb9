{#- The definition text of one metric, the text whose SHA-256 is the
    metric's definition_sha256: one "field: value" line per field in this
    order, joined by a line feed (no final line feed); an empty field is
    the field name and the colon alone. `definition` is the docs block text.
    gtm_metrics.catalog.definition_text in Python builds the same text. -#}
{% macro catalog_definition_text(entry, definition) -%}
    {%- set lines = [] -%}
    {%- for field in catalog_definition_fields() -%}
        {%- set value = catalog_text_value(definition) if field == 'definition' else entry[field] -%}
        {%- do lines.append(field ~ ':' ~ ((' ' ~ value) if value is not none else '')) -%}
    {%- endfor -%}
    {{ return(lines | join('\n')) }}
{%- endmacro %}

{#- Fields of the definition text, in order. -#}
{% macro catalog_definition_fields() -%}
    {{ return([
        'metric_name', 'metric_version', 'label', 'unit', 'numerator', 'denominator', 'filters',
        'time_dimension', 'owner_group', 'computed_by', 'deprecation_date', 'definition',
    ]) }}
{%- endmacro %}
