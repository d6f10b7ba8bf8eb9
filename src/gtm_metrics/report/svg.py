"""Inline SVG charts drawn from values already selected from `metrics`.

The charts need no script and no network: each is an <svg> element with a
viewBox, so it scales with the page, and a <title> on every mark, which the
browser shows as a tooltip. Colours come from the Okabe-Ito palette, which
stays distinguishable under the common forms of colour blindness. Lines also
differ by marker shape and dash and carry direct labels, so no chart depends
on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from gtm_metrics.report.formatting import format_axis, format_compact, format_ticks, format_value

# Okabe-Ito colours, darkest first. The palette's yellow (#F0E442) is left
# out because it is unreadable as a line or text on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
POSITIVE = "#0072B2"
NEGATIVE = "#D55E00"
TOTAL = "#6B6B6B"
MARKERS = ["circle", "square", "triangle", "diamond"]

WIDTH = 640
HEIGHT = 260
LEFT = 64
RIGHT = 24
TOP = 16
BOTTOM = 44


@dataclass
class LinePoint:
    period_start: date
    value: float | None
    tooltip: str


@dataclass
class LineSeries:
    label: str
    unit: str | None
    points: list[LinePoint] = field(default_factory=list)


@dataclass
class Bar:
    label: str
    value: float | None
    tooltip: str


@dataclass
class Step:
    """One bar of a waterfall: a total drawn from zero, or a movement drawn
    from the running level."""

    label: str
    value: float | None
    tooltip: str
    is_total: bool
    direction: int = 1


def nice_ticks(low: float, high: float, count: int = 5, whole: bool = False) -> list[float]:
    """Return evenly spaced round tick values covering [low, high]; with
    `whole`, whole numbers only (for counts)."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw_step = (high - low) / count
    if whole:
        raw_step = max(raw_step, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if whole and not float(step).is_integer():
            continue
        if step >= raw_step:
            break
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    tick = first
    while tick <= last + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _svg(body: list[str], height: int, label: str, width: int = WIDTH, natural: bool = False) -> Markup:
    """Wrap marks in an <svg> that scales to its card; with `natural` it
    grows no wider than its own width, so its text keeps its size."""
    style = f' style="max-width:{width}px"' if natural else ""
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}"{style} role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>"
    )


def _month_label(day: date, first: bool) -> str:
    if first or day.month == 1:
        return f'<tspan x="{{x}}" dy="0">{day.strftime("%b")}</tspan><tspan x="{{x}}" dy="13">{day.year}</tspan>'
    return f'<tspan x="{{x}}" dy="0">{day.strftime("%b")}</tspan>'


def _y_axis(ticks: list[float], scale, unit: str | None, width: int) -> list[str]:
    parts = []
    for tick, text in zip(ticks, format_ticks(ticks, unit)):
        y = scale(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(text)}</text>")
    return parts


def _marker(shape: str, x: float, y: float, color: str, tooltip: str) -> str:
    title = f"<title>{escape(tooltip)}</title>"
    if shape == "square":
        return f'<rect class="mark" x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{color}">{title}</rect>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 4.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon class="mark" points="{points}" fill="{color}">{title}</polygon>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x - 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x + 5:.1f},{y:.1f}"
        return f'<polygon class="mark" points="{points}" fill="{color}">{title}</polygon>'
    return f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}">{title}</circle>'


def _spread_labels(positions: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart so that no two are closer than `gap`,
    keeping their order and staying within [low, high]."""
    order = sorted(range(len(positions)), key=lambda index: positions[index])
    placed = [positions[index] for index in order]
    for index in range(1, len(placed)):
        placed[index] = max(placed[index], placed[index - 1] + gap)
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [max(position - overflow, low) for position in placed]
        for index in range(1, len(placed)):
            placed[index] = max(placed[index], placed[index - 1] + gap)
    result = [0.0] * len(positions)
    for rank, index in enumerate(order):
        result[index] = placed[rank]
    return result


def line_chart(series: list[LineSeries], months: list[date], label: str, unit: str | None,
               include_zero: bool = True, width: int = WIDTH) -> Markup:
    """Draw one line per series over a list of months; an undefined value
    (null) leaves a gap in the line."""
    right_margin = RIGHT + (130 if len(series) > 1 else 0)
    values = [point.value for line in series for point in line.points if point.value is not None]
    if include_zero:
        low, high = min([0.0, *values]), max([0.0, *values]) or 1.0
    else:
        low, high = min(values), max(values)
        padding = (high - low) * 0.15 or abs(high) * 0.05 or 1.0
        low, high = low - padding, high + padding
    ticks = nice_ticks(low, high, whole=unit == "count")
    plot_bottom = HEIGHT - BOTTOM
    plot_right = width - right_margin

    def y_of(value: float) -> float:
        return plot_bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (plot_bottom - TOP)

    step = (plot_right - LEFT) / max(len(months), 1)

    def x_of(day: date) -> float:
        return LEFT + step * (months.index(day) + 0.5)

    body = _y_axis(ticks, y_of, unit, plot_right + RIGHT)
    for index, day in enumerate(months):
        x = x_of(day)
        body.append(f'<text class="tick" x="{x:.1f}" y="{plot_bottom + 16}" text-anchor="middle">'
                    + _month_label(day, index == 0).replace("{x}", f"{x:.1f}") + "</text>")
    body.append(f'<line class="axis" x1="{LEFT}" x2="{plot_right}" y1="{y_of(ticks[0]):.1f}" '
                f'y2="{y_of(ticks[0]):.1f}"/>')
    end_labels = []
    for index, line in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        shape = MARKERS[index % len(MARKERS)]
        dash = ' stroke-dasharray="6 3"' if index % 2 else ""
        segments: list[list[str]] = [[]]
        for point in line.points:
            if point.period_start not in months:
                continue
            if point.value is None:
                segments.append([])
                continue
            segments[-1].append(f"{x_of(point.period_start):.1f},{y_of(point.value):.1f}")
        for segment in segments:
            if len(segment) > 1:
                body.append(f'<polyline class="line" points="{" ".join(segment)}" stroke="{color}"{dash}/>')
        last = None
        for point in line.points:
            if point.period_start in months and point.value is not None:
                body.append(_marker(shape, x_of(point.period_start), y_of(point.value), color, point.tooltip))
                last = point
        if last is not None and len(series) > 1:
            end_labels.append((y_of(last.value) + 4, color, line.label))
    if end_labels:
        positions = _spread_labels([position for position, _, _ in end_labels], 13, TOP + 4, plot_bottom)
        for position, (_, color, text) in zip(positions, end_labels):
            body.append(f'<text class="series-label" x="{plot_right + 8}" y="{position:.1f}" '
                        f'style="fill:{color}">{escape(text)}</text>')
    return _svg(body, HEIGHT, label, width)


def bar_chart(bars: list[Bar], label: str, unit: str | None, color: str = POSITIVE,
              show_values: bool = True) -> Markup:
    """Draw vertical bars, one per category, with the value above each."""
    values = [bar.value for bar in bars if bar.value is not None]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]) or 1.0, whole=unit == "count")
    plot_bottom = HEIGHT - BOTTOM
    plot_right = WIDTH - RIGHT

    def y_of(value: float) -> float:
        return plot_bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (plot_bottom - TOP)

    step = (plot_right - LEFT) / max(len(bars), 1)
    bar_width = min(step * 0.7, 56)
    body = _y_axis(ticks, y_of, unit, WIDTH)
    zero = y_of(0.0)
    for index, bar in enumerate(bars):
        center = LEFT + step * (index + 0.5)
        lines = bar.label.split("\n")
        label_svg = "".join(
            f'<tspan x="{center:.1f}" dy="{0 if number == 0 else 13}">{escape(text)}</tspan>'
            for number, text in enumerate(lines)
        )
        body.append(f'<text class="tick" x="{center:.1f}" y="{plot_bottom + 16}" text-anchor="middle">'
                    f"{label_svg}</text>")
        if bar.value is None:
            body.append(f'<text class="tick undefined" x="{center:.1f}" y="{zero - 6:.1f}" '
                        f'text-anchor="middle">n/a<title>{escape(bar.tooltip)}</title></text>')
            continue
        top = y_of(bar.value)
        y, height = (top, zero - top) if bar.value >= 0 else (zero, top - zero)
        body.append(f'<rect class="mark" x="{center - bar_width / 2:.1f}" y="{y:.1f}" width="{bar_width:.1f}" '
                    f'height="{max(height, 0.5):.1f}" fill="{color}"><title>{escape(bar.tooltip)}</title></rect>')
        if show_values:
            text = format_compact(bar.value, unit) if len(bars) > 8 else format_value(bar.value, unit)
            body.append(f'<text class="value" x="{center:.1f}" y="{min(top, zero) - 5:.1f}" '
                        f'text-anchor="middle">{escape(text)}</text>')
    body.append(f'<line class="axis" x1="{LEFT}" x2="{plot_right}" y1="{zero:.1f}" y2="{zero:.1f}"/>')
    return _svg(body, HEIGHT, label)


def _waterfall_levels(steps: list[Step]) -> list[tuple[float, float]]:
    levels = []
    level = 0.0
    for step in steps:
        value = step.value or 0.0
        if step.is_total:
            start, level = 0.0, value
        else:
            start = level
            level = level + step.direction * abs(value)
        levels.append((start, level))
    return levels


def waterfall_floor(steps: list[Step]) -> float:
    """Return where the value axis of a waterfall starts: zero, unless the
    movements are small next to the totals (under a quarter of the lowest
    level), when the axis starts below the lowest level so that the
    movements stay visible. The caller says so in the caption."""
    levels = _waterfall_levels(steps)
    lowest = min(min(pair) if not step.is_total else pair[1] for step, pair in zip(steps, levels))
    highest = max(max(pair) for pair in levels)
    if lowest <= 0 or highest - lowest >= lowest / 4:
        return 0.0
    ticks = nice_ticks(lowest - (highest - lowest) * 0.6, highest)
    return max(ticks[0], 0.0)


def waterfall_chart(steps: list[Step], label: str, unit: str | None, floor: float = 0.0) -> Markup:
    """Draw totals from the axis floor and movements from the running level.
    The running level only places the bars: every label is a selected value."""
    levels = _waterfall_levels(steps)
    extent = [edge for pair in levels for edge in pair if edge >= floor]
    ticks = nice_ticks(min([floor, *extent]), max([floor, *extent]) or 1.0)
    plot_bottom = HEIGHT - BOTTOM
    plot_right = WIDTH - RIGHT

    def y_of(value: float) -> float:
        return plot_bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (plot_bottom - TOP)

    step_width = (plot_right - LEFT) / max(len(steps), 1)
    bar_width = min(step_width * 0.66, 64)
    body = _y_axis(ticks, y_of, unit, WIDTH)
    previous_end = None
    for index, (step, (start, end)) in enumerate(zip(steps, levels)):
        center = LEFT + step_width * (index + 0.5)
        if step.is_total:
            color = TOTAL
        elif step.direction > 0:
            color = POSITIVE
        else:
            color = NEGATIVE
        top, bottom = sorted((y_of(max(start, ticks[0])), y_of(max(end, ticks[0]))))
        if previous_end is not None:
            y = y_of(start if not step.is_total else end)
            body.append(f'<line class="connector" x1="{previous_end:.1f}" x2="{center - bar_width / 2:.1f}" '
                        f'y1="{y:.1f}" y2="{y:.1f}"/>')
        if step.value is None:
            body.append(f'<text class="tick undefined" x="{center:.1f}" y="{y_of(start) - 6:.1f}" '
                        f'text-anchor="middle">n/a<title>{escape(step.tooltip)}</title></text>')
        else:
            body.append(f'<rect class="mark" x="{center - bar_width / 2:.1f}" y="{top:.1f}" '
                        f'width="{bar_width:.1f}" height="{max(bottom - top, 0.5):.1f}" fill="{color}">'
                        f"<title>{escape(step.tooltip)}</title></rect>")
            sign = ""
            if not step.is_total and step.value:
                sign = "+" if step.direction > 0 else "\u2212"
            text = sign + format_compact(abs(step.value) if not step.is_total else step.value, unit)
            body.append(f'<text class="value" x="{center:.1f}" y="{top - 5:.1f}" text-anchor="middle">'
                        f"{escape(text)}</text>")
        body.append(f'<text class="tick" x="{center:.1f}" y="{plot_bottom + 16}" text-anchor="middle">'
                    + "".join(f'<tspan x="{center:.1f}" dy="{0 if number == 0 else 13}">{escape(part)}</tspan>'
                              for number, part in enumerate(step.label.split("\n")))
                    + "</text>")
        previous_end = center + bar_width / 2
    body.append(f'<line class="axis" x1="{LEFT}" x2="{plot_right}" y1="{y_of(ticks[0]):.1f}" '
                f'y2="{y_of(ticks[0]):.1f}"/>')
    return _svg(body, HEIGHT, label)


@dataclass
class FunnelStage:
    label: str
    value: float | None
    tooltip: str


@dataclass
class FunnelStep:
    """The conversion between two adjacent stages, as selected."""

    text: str
    tooltip: str


def funnel_chart(stages: list[FunnelStage], conversions: list[FunnelStep], label: str) -> Markup:
    """Draw stages as centred bars whose width follows the stage count, with
    the selected conversion rate between adjacent stages."""
    row = 30
    gap = 22
    height = TOP + len(stages) * row + (len(stages) - 1) * gap + 8
    label_width = 170
    plot_left = label_width + 10
    plot_width = WIDTH - plot_left - 110
    largest = max([stage.value or 0 for stage in stages] + [1])
    body = []
    y = TOP
    for index, stage in enumerate(stages):
        share = (stage.value or 0) / largest
        bar_width = max(plot_width * share, 2)
        x = plot_left + (plot_width - bar_width) / 2
        color = PALETTE[0] if index < len(stages) - 1 else PALETTE[2]
        body.append(f'<text class="stage" x="{label_width}" y="{y + row / 2 + 5:.1f}" text-anchor="end">'
                    f"{escape(stage.label)}</text>")
        body.append(f'<rect class="mark" x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{row}" '
                    f'fill="{color}"><title>{escape(stage.tooltip)}</title></rect>')
        body.append(f'<text class="value" x="{plot_left + plot_width + 8}" y="{y + row / 2 + 5:.1f}">'
                    f"{escape(format_value(stage.value, 'count'))}</text>")
        if index < len(conversions):
            conversion = conversions[index]
            body.append(f'<text class="conversion" x="{plot_left + plot_width / 2:.1f}" '
                        f'y="{y + row + gap / 2 + 5:.1f}" text-anchor="middle">\u2193 {escape(conversion.text)}'
                        f"<title>{escape(conversion.tooltip)}</title></text>")
        y += row + gap
    return _svg(body, height, label)


@dataclass
class CalibrationPoint:
    label: str
    predicted: float
    realised: float
    sample: float | None
    tooltip: str


def calibration_chart(points: list[CalibrationPoint], label: str) -> Markup:
    """Draw a reliability diagram: predicted rate across, realised rate up,
    one point per band with its area following the sample size, and the
    diagonal where the two agree."""
    size = 300
    left, top = LEFT, TOP
    width = left + size + 190
    height = top + size + 48

    def x_of(rate: float) -> float:
        return left + rate * size

    def y_of(rate: float) -> float:
        return top + (1 - rate) * size

    body = []
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        body.append(f'<line class="grid" x1="{left}" x2="{left + size}" y1="{y_of(tick):.1f}" y2="{y_of(tick):.1f}"/>')
        body.append(f'<line class="grid" x1="{x_of(tick):.1f}" x2="{x_of(tick):.1f}" y1="{top}" y2="{top + size}"/>')
        body.append(f'<text class="tick" x="{left - 6}" y="{y_of(tick) + 4:.1f}" text-anchor="end">{tick * 100:.0f} %</text>')
        body.append(f'<text class="tick" x="{x_of(tick):.1f}" y="{top + size + 16}" text-anchor="middle">'
                    f"{tick * 100:.0f} %</text>")
    body.append(f'<line class="axis" x1="{left}" x2="{left + size}" y1="{top + size}" y2="{top + size}"/>')
    body.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + size}"/>')
    body.append(f'<line class="connector" x1="{x_of(0):.1f}" y1="{y_of(0):.1f}" x2="{x_of(1):.1f}" y2="{y_of(1):.1f}"/>')
    body.append(f'<text class="note" x="{x_of(0.97):.1f}" y="{y_of(0.99):.1f}" text-anchor="end">'
                "predicted = realised</text>")
    body.append(f'<text class="axis-title" x="{left + size / 2:.1f}" y="{height - 6}" text-anchor="middle">'
                "Predicted SQL rate (mean lead score / 100)</text>")
    body.append(f'<text class="axis-title" transform="translate(14 {top + size / 2:.1f}) rotate(-90)" '
                'text-anchor="middle">Realised SQL rate</text>')
    largest = max([point.sample or 0 for point in points] + [1])
    labels = []
    for point in points:
        radius = 4 + 10 * math.sqrt((point.sample or 0) / largest)
        x, y = x_of(point.predicted), y_of(point.realised)
        body.append(f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{PALETTE[0]}" '
                    f'fill-opacity="0.75" stroke="#ffffff"><title>{escape(point.tooltip)}</title></circle>')
        body.append(f'<line class="connector" x1="{x:.1f}" y1="{y:.1f}" x2="{left + size + 14}" '
                    f'y2="{y:.1f}" stroke-opacity="0.4"/>')
        labels.append((y + 4, point))
    positions = _spread_labels([position for position, _ in labels], 14, top + 4, top + size)
    for position, (_, point) in zip(positions, labels):
        sample = f", n = {point.sample:,.0f}" if point.sample is not None else ""
        body.append(f'<text class="tick" x="{left + size + 18}" y="{position:.1f}">'
                    f"{escape(point.label)}{escape(sample)}</text>")
    return _svg(body, height, label, width, natural=True)


def _cividis(share: float) -> str:
    """Interpolate the cividis colour map, which was designed to read the same
    under red-green colour blindness."""
    stops = [(0.0, (0, 32, 77)), (0.25, (65, 77, 107)), (0.5, (124, 123, 120)),
             (0.75, (188, 175, 111)), (1.0, (255, 234, 70))]
    share = min(max(share, 0.0), 1.0)
    for (left, low), (right, high) in zip(stops, stops[1:]):
        if share <= right:
            weight = (share - left) / (right - left)
            red, green, blue = (round(a + (b - a) * weight) for a, b in zip(low, high))
            return f"#{red:02x}{green:02x}{blue:02x}"
    return "#ffea46"


def heatmap(rows: list[str], columns: list[str], cells: dict[tuple[str, str], tuple[float | None, str]],
            label: str, unit: str | None, row_title: str, column_title: str, gradient_id: str) -> Markup:
    """Draw a grid with one cell per (row, column) value. A missing cell
    stays blank and an undefined (null) one shows n/a. Colours run from the
    lowest to the highest value shown, as the legend states."""
    cell_width = 58
    cell_height = 24
    left = 100
    top = 62
    width = int(left + cell_width * max(len(columns), 6) + 16)
    height = int(top + cell_height * len(rows) + 8)
    values = [value for value, _ in cells.values() if value is not None]
    high = max(values)
    low = min(values)
    legend_x = left
    body = [
        f'<defs><linearGradient id="{escape(gradient_id)}">'
        + "".join(f'<stop offset="{share:.2f}" stop-color="{_cividis(share)}"/>' for share in (0, 0.25, 0.5, 0.75, 1))
        + "</linearGradient></defs>",
        f'<text class="tick" x="{legend_x}" y="14">{escape(format_axis(low, unit))}</text>',
        f'<rect x="{legend_x + 40}" y="4" width="160" height="12" fill="url(#{escape(gradient_id)})"/>',
        f'<text class="tick" x="{legend_x + 206}" y="14">{escape(format_axis(high, unit))}</text>',
        f'<text class="axis-title" x="{left}" y="{top - 26}">{escape(column_title)}</text>',
        f'<text class="axis-title" x="4" y="{top - 8}">{escape(row_title)}</text>',
    ]
    for index, column in enumerate(columns):
        x = left + cell_width * (index + 0.5)
        body.append(f'<text class="tick" x="{x:.1f}" y="{top - 8}" text-anchor="middle">{escape(column)}</text>')
    for row_index, row in enumerate(rows):
        y = top + cell_height * row_index
        body.append(f'<text class="tick" x="{left - 6}" y="{y + 16:.1f}" text-anchor="end">{escape(row)}</text>')
        for column_index, column in enumerate(columns):
            if (row, column) not in cells:
                continue
            value, tooltip = cells[(row, column)]
            x = left + cell_width * column_index
            if value is None:
                body.append(f'<text class="tick undefined" x="{x + cell_width / 2:.1f}" y="{y + 16:.1f}" '
                            f'text-anchor="middle">n/a<title>{escape(tooltip)}</title></text>')
                continue
            share = (value - low) / (high - low) if high > low else 1.0
            text_color = "#000000" if share > 0.55 else "#ffffff"
            body.append(f'<rect class="mark" x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_width - 2:.1f}" '
                        f'height="{cell_height - 2}" fill="{_cividis(share)}"><title>{escape(tooltip)}</title></rect>')
            body.append(f'<text class="cell" x="{x + cell_width / 2:.1f}" y="{y + 16:.1f}" text-anchor="middle" '
                        f'style="fill:{text_color}">{escape(format_axis(value, unit))}</text>')
    return _svg(body, height, label, width, natural=True)
