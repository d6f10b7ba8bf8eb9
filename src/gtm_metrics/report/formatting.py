"""Number formatting by the `unit` column of the metrics table.

Units are `count`, `ratio`, `days`, `hours`, `months`, `score`, an ISO
4217 currency code (three upper-case letters), or a currency code per time
unit such as
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
    if unit in ("days", "months", "hours"):
        return f"{value:,.1f} {unit}"
    if unit == "score":
        return f"{value:.3f}"
    if _CURRENCY.match(unit):
        return f"{unit} {value:,.0f}"
    rate = _CURRENCY_RATE.match(unit)
    if rate:
        return f"{rate.group(1)} {value:,.0f} per {rate.group(2)}"
    return f"{value:,.2f} {unit}".rstrip()


def format_compact(value: float, unit: str | None, digits: int = 3) -> str:
    """Format a value with k/M suffixes and about `digits` significant
    digits, for labels on marks (22.2k, 1.35M, 600, 31 %)."""
    unit = unit or ""
    if unit == "ratio":
        return f"{value * 100:.{_decimals(value * 100, digits)}f} %"
    if unit == "multiple":
        return f"{value:.1f}\u00d7"
    for divisor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= divisor:
            scaled = value / divisor
            return f"{scaled:.{_decimals(scaled, digits)}f}{suffix}"
    return f"{value:.{_decimals(value, digits)}f}"


def _decimals(value: float, digits: int) -> int:
    magnitude = abs(value)
    if magnitude == 0 or float(value).is_integer():
        return 0
    whole_digits = len(str(int(magnitude))) if magnitude >= 1 else 1
    return max(digits - whole_digits, 0)


def format_ticks(ticks: list[float], unit: str | None) -> list[str]:
    """Format axis ticks with the fewest decimals (at most 3) that show each
    tick exactly."""
    unit = unit or ""
    largest = max((abs(tick) for tick in ticks), default=0)
    if unit == "ratio":
        scale, suffix, after = 100, "", " %"
    elif unit == "multiple":
        scale, suffix, after = 1, "", "\u00d7"
    elif largest >= 1_000_000:
        scale, suffix, after = 1 / 1_000_000, "M", ""
    elif largest >= 1_000:
        scale, suffix, after = 1 / 1_000, "k", ""
    else:
        scale, suffix, after = 1, "", ""
    for decimals in range(0, 4):
        if all(abs(round(tick * scale, decimals) - tick * scale) < 1e-9 for tick in ticks):
            break
    return [f"{tick * scale:.{decimals}f}{suffix}{after}" if tick else f"0{after}" for tick in ticks]


def format_axis(value: float, unit: str | None) -> str:
    """Format one value for a small label (a heatmap cell, a legend end)."""
    return format_compact(value, unit, digits=2 if (unit or "") == "ratio" else 3)


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
