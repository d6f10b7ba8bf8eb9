{#- Integers 0 to 1199 in column `month_offset`, as a portable select
    (generate_series differs between engines): enough months for a 100-year
    MRR history. -#}
{% macro revenue_month_offsets() -%}
    select hundreds.digit * 100 + tens.digit * 10 + ones.digit as month_offset
    from {{ revenue_digits(12) }} as hundreds
    cross join {{ revenue_digits(10) }} as tens
    cross join {{ revenue_digits(10) }} as ones
{%- endmacro %}

{#- Integers 0 to count - 1 in column `digit`, as a parenthesised select. -#}
{% macro revenue_digits(count) -%}
    ({% for value in range(count) %}select {{ value }} as digit{% if not loop.last %} union all {% endif %}{% endfor %})
{%- endmacro %}
