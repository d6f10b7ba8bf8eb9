{#- Return the contract's column list for one source table, read from the
    sources YAML: a list of {name, type, required}. -#}
{% macro gtm_contract_columns(table_name) -%}
    {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'gtm')
        | selectattr('name', 'equalto', table_name) | first -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("Source table gtm." ~ table_name ~ " is not declared in the input contract.") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append({
            'name': column.name,
            'type': column.meta.get('type', 'text'),
            'required': column.meta.get('required', false),
            'values': column.meta.get('values'),
            'lowercase': column.meta.get('lowercase', false) or column.meta.get('values') is not none,
            'min': column.meta.get('min'),
            'max': column.meta.get('max'),
        }) -%}
    {%- endfor -%}
    {{ return({'primary_key': node.meta.get('primary_key'), 'columns': columns}) }}
{%- endmacro %}

{#- Select every row of source table gtm.<table_name> with each contract
    column parsed to its type, plus:
      _source_file, _source_row  where the loader read the row (null for
                                 warehouse tables);
      _source_line               line of the file the record starts on, when
                                 the loader knows it;
      _quarantine_reason         null for a usable row, otherwise every
                                 problem found, separated by "; ".
    A missing optional column becomes a typed null; a missing required
    column stops the build with a message naming table and column.
    Duplicate primary keys: exact copies keep one row and quarantine the
    rest; copies that disagree are all quarantined, since no rule could pick
    the right one. -#}
{% macro gtm_check_source(table_name) -%}
    {%- set relation = source('gtm', table_name) -%}
    {#- Called unconditionally so dbt records the dependency while parsing. -#}
    {%- set currencies = ref('gtm_currencies') -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- set contract = gtm_contract_columns(table_name) -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set contract = {'primary_key': none, 'columns': []} -%}
    {%- endif -%}
    {%- if execute and present | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Input table " ~ relation ~ " was not found or has no columns. Load the input first "
            ~ "(gtm-metrics load FOLDER), or point vars gtm_source_database and gtm_source_schema "
            ~ "at the schema that holds the contract tables."
        ) }}
    {%- endif -%}
    {%- set key = contract.primary_key -%}
    {%- for column in contract.columns if column.required and column.name not in present -%}
        {{ exceptions.raise_compiler_error(
            "Input table " ~ relation ~ " has no column '" ~ column.name ~ "', which the contract requires. "
            ~ "Add the column to the table or map an existing column to it; "
            ~ "the contract is documented in models/staging/gtm/_gtm__sources.yml."
        ) }}
    {%- endfor %}

with

raw_rows as (
    select
        {%- for column in contract.columns %}
        {%- if column.name in present %}
        nullif(trim(cast({{ adapter.quote(column.name) }} as {{ dbt.type_string() }})), '') as raw_{{ column.name }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as raw_{{ column.name }},
        {%- endif %}
        {%- endfor %}
        {% if '_source_file' in present -%}
        cast(_source_file as {{ dbt.type_string() }}) as _source_file,
        cast(_source_row as {{ dbt.type_bigint() }}) as _source_row,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as _source_file,
        cast(null as {{ dbt.type_bigint() }}) as _source_row,
        {%- endif %}
        {% if '_source_line' in present -%}
        cast(_source_line as {{ dbt.type_bigint() }}) as _source_line
        {%- else -%}
        cast(null as {{ dbt.type_bigint() }}) as _source_line
        {%- endif %}
    from {{ relation }}
),

parsed as (
    select
        {%- for column in contract.columns %}
        {%- if column.lowercase %}
        lower(raw_{{ column.name }}) as {{ column.name }},
        {%- else %}
        {{ gtm_parse_value('raw_' ~ column.name, column.type) }} as {{ column.name }},
        {%- endif %}
        {%- endfor %}
        {%- for column in contract.columns %}
        raw_{{ column.name }},
        {%- endfor %}
        {{ dbt.hash(dbt.concat(gtm_fingerprint_parts(contract.columns))) }} as _row_fingerprint,
        _source_file,
        _source_row,
        _source_line
    from raw_rows
),

key_counts as (
    select
        *,
        row_number() over (
            partition by {{ key }}
            order by _source_file, _source_row, _row_fingerprint
        ) as _copy_number,
        min(_row_fingerprint) over (partition by {{ key }}) as _min_fingerprint,
        max(_row_fingerprint) over (partition by {{ key }}) as _max_fingerprint
    from parsed
),

checked as (
    select
        {%- for column in contract.columns %}
        {{ column.name }},
        {%- endfor %}
        _source_file,
        _source_row,
        _source_line,
        nullif(
            {{ dbt.concat(gtm_problem_list(contract.columns, key, currencies)) }},
            ''
        ) as _quarantine_reason_with_separator
    from key_counts
)

select
    {%- for column in contract.columns %}
    {{ column.name }},
    {%- endfor %}
    _source_file,
    _source_row,
    _source_line,
    {#- Every problem text ends with "; ", so drop the last two characters. #}
    case
        when _quarantine_reason_with_separator is not null
            then substring(
                _quarantine_reason_with_separator,
                1,
                {{ dbt.length('_quarantine_reason_with_separator') }} - 2
            )
    end as _quarantine_reason
from checked
{%- endmacro %}

{#- Raw values joined with a separator and a null marker, so two rows have
    the same fingerprint only when every contract column is equal. -#}
{% macro gtm_fingerprint_parts(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(raw_" ~ column.name ~ ", '<null>')") -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}

{#- One case expression per possible problem; each yields the problem text
    followed by "; " or an empty string. -#}
{% macro gtm_problem_list(columns, key, currencies) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if column.required -%}
            {%- do parts.append(
                "case when raw_" ~ column.name ~ " is null then '" ~ column.name
                ~ ": required value is missing; ' else '' end"
            ) -%}
        {%- endif -%}
        {%- if column['values'] -%}
            {%- do parts.append(
                "case when " ~ column.name ~ " not in ('" ~ (column['values'] | join("', '")) ~ "') then "
                ~ dbt.concat([
                    "'" ~ column.name ~ ": unknown value '''",
                    "raw_" ~ column.name,
                    "''' (expected one of " ~ (column['values'] | join(', ')) ~ "); '",
                ]) ~ " else '' end"
            ) -%}
        {%- endif -%}
        {%- if column.min is not none or column.max is not none -%}
            {%- set bounds = [] -%}
            {%- if column.min is not none -%}{%- do bounds.append(column.name ~ " < " ~ column.min) -%}{%- endif -%}
            {%- if column.max is not none -%}{%- do bounds.append(column.name ~ " > " ~ column.max) -%}{%- endif -%}
            {%- if column.min is not none and column.max is not none -%}
                {%- set expected = "between " ~ column.min ~ " and " ~ column.max -%}
            {%- elif column.min is not none -%}
                {%- set expected = "at least " ~ column.min -%}
            {%- else -%}
                {%- set expected = "at most " ~ column.max -%}
            {%- endif -%}
            {%- do parts.append(
                "case when " ~ (bounds | join(' or ')) ~ " then "
                ~ dbt.concat([
                    "'" ~ column.name ~ ": value '''",
                    "raw_" ~ column.name,
                    "''' is out of range (expected " ~ expected ~ "); '",
                ]) ~ " else '' end"
            ) -%}
        {%- endif -%}
        {%- if column.type == 'currency' -%}
            {%- do parts.append(
                "case when " ~ column.name ~ " not in (select currency_code from " ~ currencies ~ ") then "
                ~ dbt.concat([
                    "'" ~ column.name ~ ": unknown currency code '''",
                    "raw_" ~ column.name,
                    "''' (add it to seeds/gtm_currencies.csv if it is a real ISO 4217 code); '",
                ]) ~ " else '' end"
            ) -%}
        {%- elif column.type != 'text' -%}
            {%- do parts.append(
                "case when raw_" ~ column.name ~ " is not null and " ~ column.name ~ " is null then "
                ~ dbt.concat([
                    "'" ~ column.name ~ ": invalid " ~ column.type ~ " '''",
                    "raw_" ~ column.name,
                    "''' (" ~ gtm_expected_format(column.type) ~ "); '",
                ]) ~ " else '' end"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do parts.append(
        "case when raw_" ~ key ~ " is null then '' when _min_fingerprint <> _max_fingerprint then '" ~ key
        ~ ": duplicate key with different values in other rows; keep one row per " ~ key ~ "; '"
        ~ " when _copy_number > 1 then '" ~ key ~ ": exact duplicate of an earlier row; ' else '' end"
    ) -%}
    {{ return(parts) }}
{%- endmacro %}

{#- Human-readable syntax expected for each contract type. -#}
{% macro gtm_expected_format(type_name) -%}
    {%- set formats = {
        'money': 'expected a plain decimal number such as 1200.50',
        'decimal': 'expected a plain decimal number such as 0.25',
        'rate': 'expected a plain decimal number such as 1.0845',
        'integer': 'expected a whole number such as 12',
        'boolean': 'expected true or false',
        'date': 'expected a calendar date YYYY-MM-DD',
        'timestamp': 'expected ISO 8601 such as 2024-07-01T09:30:00Z',
    } -%}
    {{ return(formats[type_name]) }}
{%- endmacro %}
