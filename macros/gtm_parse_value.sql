{#- Parse the text expression `raw` as contract type `type_name` and return
    null when it is empty or does not follow the contract's syntax. The
    syntax check runs before the cast, because PostgreSQL has no try_cast
    and a failed cast aborts the whole query. -#}
{% macro gtm_parse_value(raw, type_name) -%}
    {%- set patterns = gtm_contract_patterns() -%}
    {%- if type_name == 'text' -%}
        {{ raw }}
    {%- elif type_name == 'currency' -%}
        upper({{ raw }})
    {%- elif type_name == 'boolean' -%}
        case
            when lower({{ raw }}) in ('true', 't', 'yes', 'y', '1') then true
            when lower({{ raw }}) in ('false', 'f', 'no', 'n', '0') then false
        end
    {%- elif type_name == 'timestamp' -%}
        {{ gtm_parse_timestamp(raw) }}
    {%- elif type_name in patterns -%}
        case
            when {{ gtm_regexp_like(raw, patterns[type_name]) }}
                then {{ gtm_guarded_cast(raw, gtm_contract_sql_type(type_name)) }}
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Unknown contract type '" ~ type_name ~ "'. Use one of: text, currency, boolean, timestamp, "
            ~ (patterns.keys() | join(', ')) ~ ". Fix meta.type in models/staging/gtm/_gtm__sources.yml."
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- Regular expressions every typed value must match before it is cast.
    The digit limits keep every matching number inside its column type, so
    no cast can overflow. -#}
{% macro gtm_contract_patterns() -%}
    {{ return({
        'money': '^[+-]?([0-9]{1,30}([.][0-9]*)?|[.][0-9]+)$',
        'decimal': '^[+-]?([0-9]{1,12}([.][0-9]*)?|[.][0-9]+)$',
        'rate': '^[+-]?([0-9]{1,26}([.][0-9]*)?|[.][0-9]+)$',
        'integer': '^[+-]?[0-9]{1,18}$',
        'date': '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
    }) }}
{%- endmacro %}

{#- The warehouse type each contract type is stored as. Money keeps four
    decimals so no currency loses a minor unit; rates keep twelve. -#}
{% macro gtm_contract_sql_type(type_name) -%}
    {%- set types = {
        'text': dbt.type_string(),
        'currency': dbt.type_string(),
        'money': 'decimal(38, 4)',
        'decimal': 'decimal(18, 6)',
        'rate': 'decimal(38, 12)',
        'integer': dbt.type_bigint(),
        'boolean': dbt.type_boolean(),
        'date': 'date',
        'timestamp': dbt.type_timestamp(),
    } -%}
    {{ return(types[type_name]) }}
{%- endmacro %}
