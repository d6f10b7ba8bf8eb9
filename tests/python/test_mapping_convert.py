"""Value conversion of the mapping step: numbers, booleans, dates and time
zones, written into the exact text form the staging layer parses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gtm_metrics.convert import ConversionError, ValueFormat, convert_value

US_NUMBERS = ValueFormat(thousands_separator=",")
EUROPEAN_NUMBERS = ValueFormat(decimal_separator=",", thousands_separator=".")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,200.50", "1200.5"),
        ("1200.50", "1200.5"),
        ("-1,234,567.8", "-1234567.8"),
        ("1.2E+03", "1200"),
        (".5", "0.5"),
        ("0.0", "0"),
        ("1,200", "1200"),
    ],
)
def test_number_with_thousands_separator(text, expected):
    assert convert_value(text, "money", US_NUMBERS) == expected


@pytest.mark.parametrize("text", ["1,2", "12,34.5", "abc", "1.2.3", "1,200.50.1", "$100", ""])
def test_number_rejected(text):
    with pytest.raises(ConversionError, match="invalid number"):
        convert_value(text, "money", US_NUMBERS)


def test_european_number():
    assert convert_value("1.200,50", "money", EUROPEAN_NUMBERS) == "1200.5"
    assert convert_value("0,25", "decimal", EUROPEAN_NUMBERS) == "0.25"


def test_european_number_rejects_point_decimal():
    with pytest.raises(ConversionError):
        convert_value("1.5", "money", EUROPEAN_NUMBERS)


def test_number_scale_turns_percent_into_fraction():
    assert convert_value("40", "decimal", ValueFormat(scale=Decimal("0.01"))) == "0.4"


def test_integer_accepts_whole_float_text():
    assert convert_value("2.0", "integer", ValueFormat()) == "2"


def test_integer_rejects_fraction():
    with pytest.raises(ConversionError, match="whole number"):
        convert_value("2.5", "integer", ValueFormat())


@pytest.mark.parametrize(("text", "expected"), [("Yes", "true"), ("TRUE", "true"), ("no", "false"), ("0", "false")])
def test_boolean_spellings(text, expected):
    value_format = ValueFormat(true_values=("yes", "true", "1"), false_values=("no", "false", "0"))
    assert convert_value(text, "boolean", value_format) == expected


def test_boolean_rejects_unknown_spelling():
    with pytest.raises(ConversionError, match="invalid boolean 'maybe'"):
        convert_value("maybe", "boolean", ValueFormat())


def test_text_keeps_leading_zeros_and_exponent():
    assert convert_value("00123", "text", ValueFormat()) == "00123"
    assert convert_value("4.01013E+31", "text", ValueFormat()) == "4.01013E+31"


def test_currency_is_upper_cased():
    assert convert_value("eur", "currency", ValueFormat()) == "EUR"


def test_currency_rejects_symbol():
    with pytest.raises(ConversionError, match="currency code"):
        convert_value("€", "currency", ValueFormat())


def test_timestamp_with_offset_becomes_utc():
    assert convert_value("2024-07-01T01:30:00+02:00", "timestamp", ValueFormat()) == "2024-06-30 23:30:00"


def test_timestamp_with_z_suffix():
    assert convert_value("2024-07-01T09:30:00Z", "timestamp", ValueFormat()) == "2024-07-01 09:30:00"


def test_naive_timestamp_read_in_export_time_zone():
    paris = ValueFormat(timezone="Europe/Paris")
    assert convert_value("2024-07-01 09:30:00", "timestamp", paris) == "2024-07-01 07:30:00"
    assert convert_value("2024-01-15 09:30:00", "timestamp", paris) == "2024-01-15 08:30:00"


def test_date_alone_is_local_midnight():
    sao_paulo = ValueFormat(timezone="America/Sao_Paulo")
    assert convert_value("2018-05-31", "timestamp", sao_paulo) == "2018-05-31 03:00:00"


def test_date_column_takes_local_date_of_timestamp():
    assert convert_value("2017-12-05 02:00:00", "date", ValueFormat(timezone="America/Sao_Paulo")) == "2017-12-05"


def test_date_column_converts_offset_to_export_zone():
    assert convert_value("2024-07-01T01:30:00+02:00", "date", ValueFormat(timezone="UTC")) == "2024-06-30"


def test_day_first_format():
    value_format = ValueFormat(date_formats=("%d/%m/%Y",))
    assert convert_value("13/07/2024", "date", value_format) == "2024-07-13"


def test_ambiguous_date_is_rejected():
    value_format = ValueFormat(date_formats=("%d/%m/%Y", "%m/%d/%Y"))
    with pytest.raises(ConversionError, match="ambiguous date '03/04/2024'"):
        convert_value("03/04/2024", "date", value_format)


def test_unambiguous_date_with_both_orders():
    value_format = ValueFormat(date_formats=("%d/%m/%Y", "%m/%d/%Y"))
    assert convert_value("13/04/2024", "date", value_format) == "2024-04-13"
    assert convert_value("04/13/2024", "date", value_format) == "2024-04-13"


def test_same_reading_from_two_formats_is_not_ambiguous():
    value_format = ValueFormat(date_formats=("%d/%m/%Y", "%m/%d/%Y"))
    assert convert_value("05/05/2024", "date", value_format) == "2024-05-05"


def test_impossible_date_is_rejected():
    with pytest.raises(ConversionError, match="invalid date or time '2024-02-30'"):
        convert_value("2024-02-30", "date", ValueFormat())


def test_unpadded_hour_needs_a_declared_format():
    with pytest.raises(ConversionError):
        convert_value("2021-01-07 6:49:18", "timestamp", ValueFormat())
    declared = ValueFormat(date_formats=("%Y-%m-%d %H:%M:%S",))
    assert convert_value("2021-01-07 6:49:18", "timestamp", declared) == "2021-01-07 06:49:18"


def test_fractional_seconds_are_kept():
    assert convert_value("2024-07-01 09:30:00.250", "timestamp", ValueFormat()) == "2024-07-01 09:30:00.250000"
