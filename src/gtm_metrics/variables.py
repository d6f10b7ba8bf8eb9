"""Check dbt variables given by a user before they reach dbt.

Some models write a variable's value into SQL, so every value a user gives
(in a mapping's settings or with --var) is checked as data first. A time
zone must be an IANA name, a currency an ISO 4217 code and a date
YYYY-MM-DD. Any other value may contain only letters, digits, spaces and
the characters . : / + - _.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gtm_metrics.errors import InputError

INPUT_SOURCES = ("contract", "salesforce", "hubspot")

_VAR_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.:/+\- ]{0,200}$")


def check_timezone(value: Any, where: str) -> str:
    """Return `value` when it is an IANA time zone name, else raise InputError."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_+\-/]{1,64}", value):
        raise InputError(f"{where}: invalid time zone {value!r}; use an IANA name such as Europe/Paris or UTC.")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InputError(f"{where}: unknown time zone '{value}'; use an IANA name such as Europe/Paris or UTC.") from error
    return value


def check_currency_code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise InputError(f"{where}: invalid currency code {value!r}; use an upper-case ISO 4217 code such as USD.")
    return value


def check_iso_date(value: Any, where: str) -> str:
    try:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError as error:
        raise InputError(f"{where}: invalid date {value!r}; use YYYY-MM-DD.") from error
    return value


def check_dbt_vars(variables: dict[str, Any], where: str = "variable") -> dict[str, str]:
    """Check each variable's name and value, raising InputError for a value
    that is not a valid time zone, currency code, date or plain value."""
    for name, value in variables.items():
        label = f"{where} {name}"
        if not isinstance(name, str) or not _VAR_NAME.match(name):
            raise InputError(f"{where} {name!r}: a variable name has lower-case letters, digits and _ only.")
        if not isinstance(value, str):
            raise InputError(f"{label}: expected a text value, found {value!r}.")
        if name == "gtm_reporting_timezone":
            check_timezone(value, label)
        elif name == "gtm_reporting_currency":
            check_currency_code(value, label)
        elif name == "gtm_as_of_date":
            check_iso_date(value, label)
        elif name == "gtm_input_source":
            if value not in INPUT_SOURCES:
                raise InputError(f"{label}: expected one of {', '.join(INPUT_SOURCES)}, found {value!r}.")
        elif not _SAFE_VALUE.match(value):
            raise InputError(
                f"{label}: the value {value!r} contains characters that are not allowed in a variable "
                "(quotes, semicolons, brackets); use letters, digits, spaces and . : / + - _ only."
            )
    return variables


def parse_var_options(items: list[str]) -> dict[str, str]:
    """Turn --var NAME=VALUE options into a dict of checked dbt variables."""
    variables = {}
    for item in items:
        name, separator, value = item.partition("=")
        name = name.strip()
        if not separator or not _VAR_NAME.match(name):
            raise InputError(f"--var {item!r}: expected NAME=VALUE with a lower-case variable name.")
        variables[name] = value
    return check_dbt_vars(variables)
