{#- Return one dict per metric listed under config.meta.metrics of a model
    in the graph (this project, and any project that installs it), sorted by
    metric_name and metric_version. Each field is already a string in the
    form the definition text uses (see catalog_text_value); an empty field is
    none. Returns an empty list while dbt parses, when the graph is empty. -#}
{% macro catalog_metric_entries() -%}
    {%- set entries = [] -%}
    {%- if not execute -%}
        {{ return(entries) }}
    {%- endif -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- set meta = node.config.get('meta') or node.get('meta') or {} -%}
        {%- for metric in meta.get('metrics') or [] -%}
            {%- do entries.append({
                'metric_name': catalog_text_value(metric.get('name')),
                'metric_version': catalog_text_value(metric.get('version', 1)),
                'metric_version_number': metric.get('version', 1) | int,
                'label': catalog_text_value(metric.get('label')),
                'unit': catalog_text_value(metric.get('unit')),
                'numerator': catalog_text_value(metric.get('numerator')),
                'denominator': catalog_text_value(metric.get('denominator')),
                'filters': catalog_text_value(metric.get('filters')),
                'time_dimension': catalog_text_value(metric.get('time_dimension')),
                'owner_group': catalog_text_value(metric.get('owner_group')),
                'docs_block': catalog_text_value(metric.get('docs_block')),
                'deprecation_date': catalog_text_value(metric.get('deprecation_date')),
                'computed_by': node.name,
                'computed_by_unique_id': node.unique_id,
                'model_checksum': node.checksum.checksum,
                'model_access': catalog_text_value(node.get('access') or node.config.get('access')),
                'model_group': catalog_text_value(node.get('group') or node.config.get('group')),
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- sort is stable: order by version first, then by name. -#}
    {{ return(entries | sort(attribute='metric_version_number') | sort(attribute='metric_name')) }}
{%- endmacro %}

{#- The text form of one metric field: a list becomes its items joined by
    "; ", every run of ASCII whitespace becomes one space, and leading and
    trailing spaces are dropped. None and an empty result give none.
    gtm_metrics.catalog.text_value in Python applies the same rule. -#}
{% macro catalog_text_value(value) -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is iterable and value is not string and value is not mapping -%}
        {%- set parts = [] -%}
        {%- for item in value -%}
            {%- set part = catalog_text_value(item) -%}
            {%- if part is not none -%}{%- do parts.append(part) -%}{%- endif -%}
        {%- endfor -%}
        {%- set text = parts | join('; ') -%}
    {%- elif value is sameas true or value is sameas false -%}
        {%- set text = (value | string) | lower -%}
    {%- else -%}
        {%- set text = value | string -%}
    {%- endif -%}
    {%- set text = modules.re.sub('[ \t\n\r\f\v]+', ' ', text) -%}
    {%- set text = modules.re.sub('^ | $', '', text) -%}
    {{ return(text if text != '' else none) }}
{%- endmacro %}
