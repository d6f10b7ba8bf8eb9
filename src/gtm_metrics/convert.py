"""Convert one exported text value into the input contract's text form.

The mapping step writes every value as text in the exact syntax the staging
layer parses (see models/staging/gtm/_gtm__sources.yml): plain decimals,
true/false, YYYY-MM-DD dates and UTC timestamps. A value that cannot be
converted raises ConversionError with a message naming the value and the
expected form; the caller turns it into a quarantine row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

ISO_8601 = "iso8601"

DEFAULT_TRUE_VALUES = ("true", "t", "yes", "y", "1")
DEFAULT_FALSE_VALUES = ("false", "f", "no", "n", "0")

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_CURRENCY_CODE = re.compile(r"^[A-Za-z]{3}$")


class ConversionError(ValueError):
    """Raised when a value does not have the form its contract column needs."""


@dataclass(frozen=True)
class ValueFormat:
    """Spelling of the numbers, booleans and dates of one exported column."""

    true_values: tuple[str, ...] = DEFAULT_TRUE_VALUES
    false_values: tuple[str, ...] = DEFAULT_FALSE_VALUES
    date_formats: tuple[str, ...] = (ISO_8601,)
    timezone: str = "UTC"
    decimal_separator: str = "."
    thousands_separator: str | None = None
    scale: Decimal | None = None


def convert_value(value: str, contract_type: str, value_format: ValueFormat) -> str:
    """Return `value` (already trimmed and not missing) in the contract's
    text form for `contract_type`."""
    if contract_type == "text":
        return value
    if contract_type == "currency":
        return convert_currency(value)
    if contract_type == "boolean":
        return convert_boolean(value, value_format)
    if contract_type in ("money", "decimal", "rate"):
        return format_decimal(parse_number(value, value_format))
    if contract_type == "integer":
        return convert_integer(value, value_format)
    if contract_type == "date":
        return parse_instant(value, value_format).local_date.isoformat()
    if contract_type == "timestamp":
        return format_utc_timestamp(parse_instant(value, value_format).utc)
    raise ConversionError(f"unknown contract type '{contract_type}'")


def convert_currency(value: str) -> str:
    if not _CURRENCY_CODE.match(value):
        raise ConversionError(f"invalid currency code '{value}' (expected a 3-letter ISO 4217 code such as USD)")
    return value.upper()


def convert_boolean(value: str, value_format: ValueFormat) -> str:
    lowered = value.lower()
    if lowered in (item.lower() for item in value_format.true_values):
        return "true"
    if lowered in (item.lower() for item in value_format.false_values):
        return "false"
    expected = ", ".join([*value_format.true_values, *value_format.false_values])
    raise ConversionError(f"invalid boolean '{value}' (expected one of {expected})")


def parse_number(value: str, value_format: ValueFormat) -> Decimal:
    """Parse a number written with the declared separators, for example
    "1,200.50" with thousands separator "," or "1.200,50" with decimal
    separator ",". Digit groups must have three digits, so "1,2" is rejected
    instead of being read as 12."""
    text = value
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:]
    integer_part, has_separator, fraction = text.partition(value_format.decimal_separator)

    thousands = value_format.thousands_separator
    if thousands and thousands in integer_part:
        groups = integer_part.split(thousands)
        valid_groups = (
            1 <= len(groups[0]) <= 3
            and all(len(group) == 3 for group in groups[1:])
            and all(group.isdigit() for group in groups)
        )
        if not valid_groups:
            raise ConversionError(
                f"invalid number '{value}' (digit groups separated by '{thousands}' must have three digits)"
            )
        integer_part = "".join(groups)

    if value_format.decimal_separator != "." and "." in integer_part + fraction:
        raise ConversionError(
            f"invalid number '{value}' (the decimal separator is '{value_format.decimal_separator}')"
        )
    text = sign + integer_part + ("." + fraction if has_separator else "")
    if not _PLAIN_NUMBER.match(text):
        raise ConversionError(f"invalid number '{value}' (expected a number such as 1200.50)")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ConversionError(f"invalid number '{value}'") from error
    if value_format.scale is not None:
        number = number * value_format.scale
    return number


def format_decimal(number: Decimal) -> str:
    """Write a Decimal without exponent and without trailing zeros after the
    decimal point ("1.2E+3" becomes "1200", "2.50" becomes "2.5")."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0", "") else text


def convert_integer(value: str, value_format: ValueFormat) -> str:
    number = parse_number(value, value_format)
    if number != number.to_integral_value():
        raise ConversionError(f"invalid whole number '{value}'")
    return str(int(number))


@dataclass(frozen=True)
class ParsedInstant:
    """A parsed date or date-time: its UTC instant and its date in the
    export's time zone."""

    utc: datetime
    local_date: date


def parse_instant(value: str, value_format: ValueFormat) -> ParsedInstant:
    """Parse a date or timestamp with every declared format. A value without
    an offset is wall-clock time in value_format.timezone; a date alone is
    midnight there. When two formats read the same text as different dates
    (03/04/2024 as day-first and month-first) the value is ambiguous."""
    zone = ZoneInfo(value_format.timezone)
    readings: dict[datetime, str] = {}
    for date_format in value_format.date_formats:
        parsed = _parse_with_format(value, date_format)
        if parsed is not None:
            readings.setdefault(parsed, date_format)
    if not readings:
        expected = ", ".join(value_format.date_formats)
        raise ConversionError(f"invalid date or time '{value}' (expected one of the formats {expected})")
    if len(readings) > 1:
        matched = " and ".join(readings.values())
        raise ConversionError(f"ambiguous date '{value}' (it matches {matched} with different results)")
    parsed = next(iter(readings))
    if parsed.tzinfo is None:
        aware = parsed.replace(tzinfo=zone)
    else:
        aware = parsed
    return ParsedInstant(
        utc=aware.astimezone(timezone.utc).replace(tzinfo=None),
        local_date=aware.astimezone(zone).date() if parsed.tzinfo is not None else parsed.date(),
    )


def _parse_with_format(value: str, date_format: str) -> datetime | None:
    if date_format == ISO_8601:
        try:
            return datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            return None
    try:
        return datetime.strptime(value, date_format)
    except ValueError:
        return None


def format_utc_timestamp(instant: datetime) -> str:
    """Write a naive UTC datetime as "YYYY-MM-DD HH:MM:SS[.ffffff]"."""
    text = instant.strftime("%Y-%m-%d %H:%M:%S")
    if instant.microsecond:
        text += f".{instant.microsecond:06d}"
    return text
