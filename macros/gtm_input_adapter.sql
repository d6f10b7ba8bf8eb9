{#- Helpers of the warehouse adapters (models/staging/salesforce and
    models/staging/hubspot). An adapter model reads a table a connector synced
    and returns one contract table: every contract column, in the contract's
    SQL type, named as the contract names it. Staging then checks it exactly
    as it checks loaded files. -#}

{#- The lower-cased column names of `relation`, or an empty list when the
    relation does not exist. Runs only at execution time. -#}
{% macro gtm_adapter_columns(relation) -%}
    {%- set names = {} -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) -%}
        {%- if found is not none -%}
            {%- for column in adapter.get_columns_in_relation(found) -%}
                {%- do names.update({column.name | lower: column}) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}

{#- Raise a compiler error naming the connector table when it is missing or
    lacks a column the adapter cannot do without. -#}
{% macro gtm_adapter_require(relation, columns, required) -%}
    {%- if execute -%}
        {%- if columns | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "Connector table " ~ relation ~ " was not found. Point var gtm_salesforce_schema or "
                ~ "gtm_hubspot_schema (and the matching _database var) at the schema the connector writes to."
            ) }}
        {%- endif -%}
        {%- for name in required if name not in columns -%}
            {{ exceptions.raise_compiler_error(
                "Connector table " ~ relation ~ " has no column '" ~ name ~ "', which the adapter needs."
            ) }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- The SQL type the contract gives `contract_type` (text, money, ...). -#}
{% macro gtm_adapter_type(contract_type) -%}
    {{ return(gtm_contract_sql_type(contract_type)) }}
{%- endmacro %}

{#- `expression` cast to the contract's SQL type for `contract_type`. When
    the connector column is text and the contract type is not, the text is
    passed through unchanged, so staging validates it and quarantines a bad
    value instead of the cast failing the whole query. -#}
{% macro gtm_adapter_value(columns, name, contract_type, expression=none) -%}
    {%- set target_type = gtm_adapter_type(contract_type) -%}
    {%- if name not in columns -%}
        cast(null as {{ target_type }})
    {%- elif contract_type not in ('text', 'currency') and columns[name].is_string() -%}
        {{ expression or name }}
    {%- else -%}
        cast({{ expression or name }} as {{ target_type }})
    {%- endif -%}
{%- endmacro %}

{#- A boolean that is true when the row is deleted: the CRM's own flag, the
    connector's _fivetran_deleted, or (in history mode) a record without an
    active version. Only the flags the table has are used. -#}
{% macro gtm_adapter_deleted_flag(columns, alias) -%}
    {%- set flags = [] -%}
    {%- if 'is_deleted' in columns -%}
        {%- do flags.append('coalesce(cast(' ~ alias ~ '.is_deleted as ' ~ dbt.type_boolean() ~ '), false)') -%}
    {%- endif -%}
    {%- if '_fivetran_deleted' in columns -%}
        {%- do flags.append(
            'coalesce(cast(' ~ alias ~ '._fivetran_deleted as ' ~ dbt.type_boolean() ~ '), false)'
        ) -%}
    {%- endif -%}
    {%- if '_fivetran_active' in columns -%}
        {%- do flags.append('not coalesce(cast(' ~ alias ~ '._fivetran_active as ' ~ dbt.type_boolean() ~ '), true)') -%}
    {%- endif -%}
    {%- if flags | length == 0 -%}
        false
    {%- else -%}
        ({{ flags | join(' or ') }})
    {%- endif -%}
{%- endmacro %}

{#- Rank the versions of each record, 1 for the current one: the active
    version of a history-mode table first, then the latest by
    _fivetran_start and _fivetran_synced. A table without these columns has
    one version per key, so every row ranks 1 unless the key repeats. -#}
{% macro gtm_adapter_version_rank(columns, key, alias) -%}
    {%- set ordering = [] -%}
    {%- if '_fivetran_active' in columns -%}
        {%- do ordering.append(
            'case when coalesce(cast(' ~ alias ~ '._fivetran_active as ' ~ dbt.type_boolean()
            ~ '), true) then 0 else 1 end'
        ) -%}
    {%- endif -%}
    {%- if '_fivetran_start' in columns -%}
        {%- do ordering.append(alias ~ '._fivetran_start desc') -%}
    {%- endif -%}
    {%- if '_fivetran_synced' in columns -%}
        {%- do ordering.append(alias ~ '._fivetran_synced desc') -%}
    {%- endif -%}
    {%- do ordering.append('cast(' ~ alias ~ '.' ~ key ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    row_number() over (partition by {{ alias }}.{{ key }} order by {{ ordering | join(', ') }})
{%- endmacro %}

{#- An empty relation with every column of contract table `table_name`, for
    the contract tables an adapter's connector does not sync. -#}
{% macro gtm_adapter_empty_table(table_name) -%}
    {%- set contract = gtm_contract_columns(table_name) if execute else {'columns': []} -%}
    select
        {%- for column in contract.columns %}
        cast(null as {{ gtm_adapter_type(column.type) }}) as {{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
        {%- if contract.columns | length == 0 %}
        cast(null as {{ dbt.type_string() }}) as placeholder
        {%- endif %}
    where 1 = 0
{%- endmacro %}
