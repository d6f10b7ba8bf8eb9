"""Number formatting by the `unit` column of the metrics table.

Units are `count`, `ratio`, `days`, `months`, an ISO 4217 currency code
(three upper-case letters), or a currency code per time unit such as
`USD per day`. An unknown unit is printed after the number as it is. The
report may show a `ratio` as a `multiple` (3.2×) where a percentage would
mislead, as for LTV to CAC.
"""

from __future__ import annotations

import math
import re

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CURRENCY_RATE = re.compile(r"^([A-Z]{3})\s*(?:/|per)\s*(\w+)$")


def is_currency(unit: str | None) -> bool:
    return bool(unit) and bool(_CURRENCY.match(unit) or _CURRENCY_RATE.match(unit))


def format_value(value: float | None, unit: str | None) -> str:
    """Format a value for a label or a table cell, with its unit."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    unit = unit or ""
    if unit == "ratio":
        return f"{value * 100:,.1f} %"
    if unit == "multiple":
        return f"{value:,.2f}\u00d7"
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if unit in ("days", "months"):
        return f"{value:,.1f} {unit}"
    if _CURRENCY.match(unit):
        return f"{unit} {value:,.0f}"
    rate = _CURRENCY_RATE.match(unit)
    if rate:
        return f"{rate.group(1)} {value:,.0f} per {rate.group(2)}"
    return f"{value:,.2f} {unit}".rstrip()


def format_axis(value: float, unit: str | None) -> str:
    """Format an axis tick: short, with k/M suffixes for large numbers."""
    unit = unit or ""
    if unit == "ratio":
        return f"{value * 100:.0f} %"
    if unit == "multiple":
        return f"{value:.1f}\u00d7"
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        text = f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    elif magnitude >= 10_000:
        text = f"{value / 1_000:.0f}k"
    elif magnitude >= 1_000:
        text = f"{value / 1_000:.1f}k".replace(".0k", "k")
    elif float(value).is_integer():
        text = f"{value:.0f}"
    else:
        text = f"{value:.1f}"
    return text


def unit_caption(unit: str | None) -> str:
    """Describe a unit for an axis title, for example "USD" or "days"."""
    unit = unit or ""
    if unit == "ratio":
        return "percent"
    if unit == "multiple":
        return "multiple"
    rate = _CURRENCY_RATE.match(unit)
    if rate:
        return f"{rate.group(1)} per {rate.group(2)}"
    return unit
