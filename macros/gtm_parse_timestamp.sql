{#- Parse ISO 8601 text into a UTC timestamp without time zone. A value with
    an offset ("+02:00", "Z") is converted to UTC; a value without one is
    taken as UTC already. The result never depends on the session time zone. -#}
{% macro gtm_parse_timestamp(raw) -%}
    {%- set local_part = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?' -%}
    case
        when {{ gtm_regexp_like(raw, local_part ~ '$') }}
            then {{ gtm_guarded_cast(raw, dbt.type_timestamp()) }}
        when {{ gtm_regexp_like(raw, local_part ~ '(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') }}
            then {{ gtm_offset_timestamp_to_utc(raw) }}
    end
{%- endmacro %}

{% macro gtm_offset_timestamp_to_utc(raw) -%}
    {{ return(adapter.dispatch('gtm_offset_timestamp_to_utc', 'gtm_metrics')(raw)) }}
{%- endmacro %}

{% macro default__gtm_offset_timestamp_to_utc(raw) -%}
    ({{ gtm_guarded_cast(raw, 'timestamp with time zone') }} at time zone 'UTC')
{%- endmacro %}

{% macro duckdb__gtm_offset_timestamp_to_utc(raw) -%}
    (try_cast({{ raw }} as timestamp with time zone) at time zone 'UTC')
{%- endmacro %}

{% macro spark__gtm_offset_timestamp_to_utc(raw) -%}
    to_utc_timestamp(try_cast({{ raw }} as timestamp), 'UTC')
{%- endmacro %}
