"""The report's sections: which metrics each chart reads and how it draws
them. The metric names here are the only place the report names metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from gtm_metrics.report import svg
from gtm_metrics.report.data import (
    TOTAL, Definition, MetricStore, Point, Selection, Series, add_months,
)
from gtm_metrics.report.formatting import format_value, unit_caption


@dataclass(frozen=True)
class Ref:
    """A metric the report reads, by name; the version is the catalog's
    current one unless pinned."""

    name: str
    label: str
    version: int | None = None
    # Which column a figure reads: value, or numerator / denominator (for
    # example the people behind a conversion rate).
    field: str = "value"
    # Unit to display instead of the table's, for example "multiple" for
    # a ratio such as LTV to CAC that reads badly as a percentage.
    display_unit: str | None = None


@dataclass
class Resolved:
    ref: Ref
    version: int | None
    definition: Definition | None
    present: bool

    @property
    def label(self) -> str:
        return self.ref.label.replace("{version}", str(self.version))

    def unit(self, series: Series) -> str | None:
        return self.ref.display_unit or series.unit

    @property
    def anchor(self) -> str:
        return f"def-{self.ref.name}-v{self.version}" if self.version is not None else f"def-{self.ref.name}"

    @property
    def tag(self) -> str:
        return f"{self.ref.name} v{self.version}" if self.version is not None else self.ref.name


@dataclass
class Tile:
    label: str
    value: str
    detail: str
    anchor: str


@dataclass
class ChartView:
    """One chart, figure or set of figures, ready for the template."""

    key: str
    title: str
    status: str
    metrics: list[Resolved]
    wide: bool = False
    svg: Markup | None = None
    tiles: list[Tile] = field(default_factory=list)
    message: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class SectionView:
    key: str
    title: str
    question: str
    charts: list[ChartView]

    @property
    def status(self) -> str:
        return "ok" if all(chart.status == "ok" for chart in self.charts) else "missing"


def _months(selection: Selection) -> list[date]:
    months = []
    month = selection.trend_start
    while month <= selection.period_end:
        months.append(month)
        month = add_months(month, 1)
    return months


def _tooltip(label: str, period: str, point: Point, unit: str | None) -> str:
    text = f"{label}, {period}: {format_value(point.value, unit)}"
    if point.numerator is not None and point.denominator is not None:
        text += f" ({_clean(point.numerator)} / {_clean(point.denominator)})"
    return text


def _clean(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}"


class Chart:
    """Base class: resolves metrics, reports missing ones, draws the rest."""

    def __init__(self, key: str, title: str, refs: list[Ref], wide: bool = False):
        self.key = key
        self.title = title
        self.refs = refs
        self.wide = wide

    def view(self, store: MetricStore, selection: Selection) -> ChartView:
        resolved = []
        for ref in self.refs:
            version = ref.version if ref.version is not None else store.current_version(ref.name)
            resolved.append(Resolved(ref, version, store.definition(ref.name, version),
                                     store.has_rows(ref.name, version)))
        chart = ChartView(self.key, self.title, "ok", resolved, wide=self.wide)
        absent = [item for item in resolved if not item.present]
        if absent:
            chart.status = "missing"
            chart.message = "Not in the metrics table: " + ", ".join(item.tag for item in absent) + "."
            return chart
        self.draw(store, selection, chart)
        return chart

    def draw(self, store: MetricStore, selection: Selection, chart: ChartView) -> None:
        raise NotImplementedError

    @staticmethod
    def _scope_notes(chart: ChartView, selection: Selection, series: list[Series]) -> None:
        if selection.segment is None:
            return
        totals = sorted({item.name for item in series if item.dimension_name == TOTAL})
        if totals:
            chart.notes.append(
                f"Shown for all segments, because these metrics have no segment breakdown: {', '.join(totals)}."
            )

    @staticmethod
    def _no_rows(chart: ChartView, names: list[str], where: str) -> None:
        chart.status = "missing"
        chart.message = f"No rows {where} for: {', '.join(names)}."


class LineChart(Chart):
    """Monthly trend over the report's window, one line per metric. With
    include_zero=False the value axis fits the data, for metrics such as
    revenue retention that move in a narrow band far from zero."""

    def __init__(self, key, title, refs, wide: bool = False, include_zero: bool = True, note: str = ""):
        super().__init__(key, title, refs, wide)
        self.include_zero = include_zero
        self.note = note

    def draw(self, store, selection, chart):
        months = _months(selection)
        lines, series_list, empty = [], [], []
        for item in chart.metrics:
            series = store.series(item.ref.name, item.version, selection)
            series_list.append(series)
            if not series.has_values:
                empty.append(item.tag)
            unit = item.unit(series)
            line = svg.LineSeries(item.label, unit)
            for point in series.points:
                line.points.append(svg.LinePoint(
                    point.period_start, point.value,
                    _tooltip(item.label, point.period_start.strftime("%b %Y"), point, unit)))
            lines.append(line)
        if empty:
            self._no_rows(chart, empty, f"with a value from {months[0]:%b %Y} to {months[-1]:%b %Y}")
            return
        unit = lines[0].unit
        chart.svg = svg.line_chart(lines, months, self.title, unit, include_zero=self.include_zero,
                                   width=svg.WIDTH * 2 if self.wide else svg.WIDTH)
        note = f"Monthly, {months[0]:%b %Y} to {months[-1]:%b %Y}; unit: {unit_caption(unit)}."
        if not self.include_zero:
            note += " The value axis does not start at zero."
        chart.notes.append(note)
        if self.note:
            chart.notes.append(self.note)
        self._scope_notes(chart, selection, series_list)


class MonthlyBars(Chart):
    """Monthly bars of one metric over the report's window."""

    def draw(self, store, selection, chart):
        item = chart.metrics[0]
        months = _months(selection)
        series = store.series(item.ref.name, item.version, selection)
        if not series.has_values:
            self._no_rows(chart, [item.tag], f"with a value from {months[0]:%b %Y} to {months[-1]:%b %Y}")
            return
        by_month = {point.period_start: point for point in series.points}
        bars = []
        for index, month in enumerate(months):
            point = by_month.get(month)
            label = month.strftime("%b") + (f"\n{month.year}" if index == 0 or month.month == 1 else "")
            if point is None:
                bars.append(svg.Bar(label, None, f"{item.label}, {month:%b %Y}: no row"))
            else:
                bars.append(svg.Bar(label, point.value,
                                    _tooltip(item.label, f"{month:%b %Y}", point, series.unit)))
        chart.svg = svg.bar_chart(bars, self.title, series.unit)
        chart.notes.append(f"Monthly, {months[0]:%b %Y} to {months[-1]:%b %Y}; unit: {unit_caption(series.unit)}.")
        self._scope_notes(chart, selection, [series])


def _field(point: Point, field_name: str) -> float | None:
    return getattr(point, field_name)


class Tiles(Chart):
    """Headline figures, one tile per metric (or per value of a dimension),
    with the sample size (the denominator) when the metric is a ratio.

    With `latest`, each metric shows its latest period at or before the
    selected one that has a defined value: cohort metrics (time to value,
    feature adoption) are defined only once a cohort is old enough.
    """

    def __init__(self, key, title, refs, sample_label: str | None = None, latest: bool = False,
                 dimension_name: str | None = None, grain: str | None = None, wide: bool = False):
        super().__init__(key, title, refs, wide)
        self.sample_label = sample_label
        self.latest = latest
        self.dimension_name = dimension_name
        self.grain = grain

    def draw(self, store, selection, chart):
        series_list, empty = [], []
        grain = self.grain or selection.grain
        for item in chart.metrics:
            period = selection.period_start
            if self.latest:
                period = store.latest_period(item.ref.name, item.version, grain, selection, self.dimension_name)
            if period is None:
                empty.append(item.tag)
                continue
            if self.dimension_name:
                series = store.breakdown(item.ref.name, item.version, grain, period, self.dimension_name)
            else:
                series = store.series(item.ref.name, item.version, selection, grain=grain, start=period, end=period)
                series_list.append(series)
            if not series.points:
                empty.append(item.tag)
                continue

            for point in series.points:
                label = item.label
                if self.dimension_name:
                    label = f"{label}: {point.dimension_value}"
                details = []
                if self.latest:
                    details.append(_period_label(grain, period))
                if self.sample_label and point.denominator is not None:
                    details.append(f"n = {_clean(point.denominator)} {self.sample_label}")
                elif point.numerator is not None and point.denominator is not None:
                    details.append(f"{_clean(point.numerator)} / {_clean(point.denominator)}")
                if point.value is None:
                    details.append("undefined for this period, see the definition")
                chart.tiles.append(Tile(label, format_value(point.value, item.unit(series)), "; ".join(details),
                                        item.anchor))

        if empty:
            where = "with a defined value up to" if self.latest else f"at {grain} grain for"
            self._no_rows(chart, empty, f"{where} {selection.label}")
            chart.tiles = []
            return
        if not self.latest:
            chart.notes.append(f"{selection.label}.")
        if self.dimension_name and selection.segment is not None:
            chart.notes.append(f"Shown for all segments, because these metrics are broken down by "
                               f"{self.dimension_name} only.")
        self._scope_notes(chart, selection, series_list)


def _period_label(grain: str, period: date) -> str:
    if grain == "month":
        return f"cohort {period:%b %Y}"
    if grain == "quarter":
        return f"cohort {period.year} Q{(period.month - 1) // 3 + 1}"
    if grain == "year":
        return f"cohort {period.year}"
    return f"cohort {grain} starting {period.isoformat()}"


class PeriodBars(Chart):
    """One bar per metric for the selected period (for example the people
    entering each funnel stage)."""

    def draw(self, store, selection, chart):
        bars, series_list, empty = [], [], []
        unit = None
        for item in chart.metrics:
            series = store.series(item.ref.name, item.version, selection, grain=selection.grain,
                                  start=selection.period_start, end=selection.period_start)
            series_list.append(series)
            if not series.points:
                empty.append(item.tag)
                continue
            unit = unit or series.unit
            point = series.points[0]
            bars.append(svg.Bar(item.label.replace(" ", "\n", 1), point.value,
                                _tooltip(item.label, selection.label, point, series.unit)))
        if empty:
            self._no_rows(chart, empty, f"at {selection.grain} grain for {selection.label}")
            return
        chart.svg = svg.bar_chart(bars, self.title, unit, color=svg.PALETTE[0])
        chart.notes.append(f"{selection.label}; unit: {unit_caption(unit)}.")
        self._scope_notes(chart, selection, series_list)


class Funnel(Chart):
    """Stage counts and step conversion rates of one lead cohort: the latest
    cohort at or before the selected period whose rates are defined (a
    cohort younger than the conversion window has null rates)."""

    def __init__(self, key, title, stages: list[Ref], conversions: list[Ref]):
        super().__init__(key, title, stages + conversions)
        self.stage_count = len(stages)

    def draw(self, store, selection, chart):
        stages, conversions, series_list, empty = [], [], [], []
        grain = "month"
        anchor = chart.metrics[self.stage_count]
        cohort = store.latest_period(anchor.ref.name, anchor.version, grain, selection)
        if cohort is None:
            self._no_rows(chart, [anchor.tag], f"with a defined value up to {selection.label}")
            return

        cohort_label = f"{cohort:%b %Y}"
        for index, item in enumerate(chart.metrics):
            series = store.series(item.ref.name, item.version, selection, grain=grain, start=cohort, end=cohort)
            series_list.append(series)
            if not series.points:
                empty.append(item.tag)
                continue
            point = series.points[0]
            if index < self.stage_count:
                count = _field(point, item.ref.field)
                stages.append(svg.FunnelStage(item.label, count,
                                              f"{item.label}, lead cohort {cohort_label}: "
                                              f"{format_value(count, 'count')} ({item.ref.field} of {item.tag})"))
            else:
                conversions.append(svg.FunnelStep(
                    f"{format_value(point.value, series.unit)} {item.label}",
                    _tooltip(item.label, f"lead cohort {cohort_label}", point, series.unit)))
        if empty:
            self._no_rows(chart, empty, f"for the lead cohort of {cohort_label}")
            return

        chart.title = f"{self.title}: leads created in {cohort_label}"
        chart.svg = svg.funnel_chart(stages, conversions, chart.title)
        chart.notes.append(f"Lead cohort of {cohort_label}, the latest cohort up to {selection.label} whose "
                           "conversion window has closed. Bars count people; each rate is a step conversion.")
        self._scope_notes(chart, selection, series_list)


class Waterfall(Chart):
    """Opening value, signed movements and closing value of the selected
    period."""

    def __init__(self, key, title, opening: Ref, movements: list[tuple[Ref, int]], closing: Ref):
        super().__init__(key, title, [opening, *[ref for ref, _ in movements], closing])
        self.directions = [0, *[direction for _, direction in movements], 0]

    def draw(self, store, selection, chart):
        steps, series_list, empty = [], [], []
        unit = None
        for item, direction in zip(chart.metrics, self.directions):
            series = store.series(item.ref.name, item.version, selection, grain=selection.grain,
                                  start=selection.period_start, end=selection.period_start)
            series_list.append(series)
            if not series.points:
                empty.append(item.tag)
                continue
            unit = unit or series.unit
            point = series.points[0]
            steps.append(svg.Step(item.label.replace(" ", "\n", 1), point.value,
                                  _tooltip(item.label, selection.label, point, series.unit),
                                  is_total=direction == 0, direction=direction or 1))
        if empty:
            self._no_rows(chart, empty, f"at {selection.grain} grain for {selection.label}")
            return
        floor = svg.waterfall_floor(steps)
        chart.svg = svg.waterfall_chart(steps, self.title, unit, floor=floor)
        note = (f"{selection.label}; unit: {unit_caption(unit)}. Blue adds, vermillion subtracts, "
                "grey bars are totals.")
        if floor > 0:
            note += f" The value axis starts at {format_value(floor, unit)}, not zero."
        chart.notes.append(note)
        self._scope_notes(chart, selection, series_list)


class Calibration(Chart):
    """Lead-quality calibration: marketing's predicted SQL rate against the
    SQL rate sales realised, per lead-score band, for the latest period at
    or before the selected one whose SQL window has closed (the rates of
    younger handoffs are null)."""

    def __init__(self, key, title, predicted: Ref, realised: Ref, score: Ref, dimension_name: str,
                 grain: str = "year"):
        super().__init__(key, title, [predicted, realised, score])
        self.dimension_name = dimension_name
        self.grain = grain

    def draw(self, store, selection, chart):
        predicted, realised, score = chart.metrics
        period = store.latest_period(realised.ref.name, realised.version, self.grain, selection,
                                     self.dimension_name)
        if period is None:
            self._no_rows(chart, [realised.tag], f"by {self.dimension_name} up to {selection.label}")
            return

        predicted_rows = store.breakdown(predicted.ref.name, predicted.version, self.grain, period,
                                         self.dimension_name)
        realised_rows = store.breakdown(realised.ref.name, realised.version, self.grain, period,
                                        self.dimension_name)
        predicted_by_band = {point.dimension_value: point for point in predicted_rows.points}
        cohort = _period_label(self.grain, period).replace("cohort ", "")
        points = []
        for point in realised_rows.points:
            guess = predicted_by_band.get(point.dimension_value)
            if point.value is None or guess is None or guess.value is None:
                continue
            points.append(svg.CalibrationPoint(
                point.dimension_value, guess.value, point.value, point.denominator,
                f"Lead score band {point.dimension_value}, handoffs in {cohort}: predicted "
                f"{format_value(guess.value, 'ratio')}, realised {format_value(point.value, 'ratio')}"
                + (f", n = {_clean(point.denominator)}" if point.denominator is not None else "")))
        if not points:
            self._no_rows(chart, [predicted.tag, realised.tag], f"by {self.dimension_name} for {cohort}")
            return

        chart.svg = svg.calibration_chart(points, self.title)
        chart.notes.append(f"Handoffs (MQLs) in {cohort}, the latest {self.grain} up to {selection.label} whose "
                           "SQL window has closed; all segments. Point area follows the number of scored handoffs.")
        overall = store.series(score.ref.name, score.version, selection, grain=self.grain, start=period, end=period)
        if overall.points and overall.points[0].value is not None:
            chart.notes.append(f"{score.label}: {format_value(overall.points[0].value, overall.unit)} "
                               "(0 is perfect; lower is better).")


class Heatmap(Chart):
    """Cohort heatmap: one row per cohort start in the report's window, one
    column per value of the age dimension."""

    def __init__(self, key, title, ref: Ref, dimension_name: str, column_title: str, wide: bool = True):
        super().__init__(key, title, [ref], wide)
        self.dimension_name = dimension_name
        self.column_title = column_title

    def draw(self, store, selection, chart):
        item = chart.metrics[0]
        matrix = store.matrix(item.ref.name, item.version, "month", selection.trend_start, selection.period_end,
                              self.dimension_name)
        if not matrix.has_values:
            self._no_rows(chart, [item.tag], f"by {self.dimension_name} for cohorts from "
                                              f"{selection.trend_start:%b %Y} to {selection.period_end:%b %Y}")
            return
        rows, columns, cells = [], [], {}
        for label, point in zip(matrix.labels, matrix.points):
            row = point.period_start.strftime("%b %Y")
            if row not in rows:
                rows.append(row)
            if label not in columns:
                columns.append(label)
            cells[(row, label)] = (point.value, _tooltip(f"{item.label}, cohort {row}, {self.column_title} {label}",
                                                         row, point, matrix.unit))
        columns.sort(key=lambda text: (len(text), text))
        chart.svg = svg.heatmap(rows, columns, cells, self.title, matrix.unit, "Cohort", self.column_title,
                                gradient_id=f"gradient-{self.key}")
        chart.notes.append(f"Cohorts starting {selection.trend_start:%b %Y} to {selection.period_end:%b %Y}; "
                           "dark blue is the lowest value shown, yellow the highest.")


@dataclass
class Section:
    key: str
    title: str
    question: str
    charts: list[Chart]

    def view(self, store: MetricStore, selection: Selection) -> SectionView:
        return SectionView(self.key, self.title, self.question,
                           [chart.view(store, selection) for chart in self.charts])


# The metric names below must match `metric_name` in the metrics table; the
# version shown is the catalog's current one.
SECTIONS: list[Section] = [
    Section("funnel", "Funnel: lead to won", "Where do people drop out between becoming a lead and a won deal?", [
        Funnel(
            "funnel-cohort", "Funnel",
            stages=[
                Ref("cohort_mql_rate", "Leads", field="denominator"),
                Ref("cohort_mql_rate", "MQL (v{version})", field="numerator"),
                Ref("cohort_sql_rate", "SQL", field="numerator"),
                Ref("cohort_conversion_rate", "Opportunity", field="numerator"),
                Ref("cohort_won_rate", "Won", field="numerator"),
            ],
            conversions=[
                Ref("cohort_mql_rate", "lead to MQL (v{version})"),
                Ref("cohort_mql_to_sql_rate", "MQL (v{version}) to SQL"),
                Ref("cohort_sql_to_opportunity_rate", "SQL to opportunity"),
                Ref("cohort_opportunity_to_won_rate", "opportunity to won"),
            ],
        ),
        PeriodBars("funnel-period", "Stage entries in the period", [
            Ref("new_leads", "New leads"),
            Ref("new_mqls", "New MQLs (v{version})"),
            Ref("new_sqls", "New SQLs"),
            Ref("leads_converted", "Leads converted"),
            Ref("leads_won", "Leads won"),
        ]),
        LineChart("funnel-steps", "Step conversion by lead cohort", wide=True, refs=[
            Ref("cohort_mql_rate", "Lead to MQL (v{version})"),
            Ref("cohort_mql_to_sql_rate", "MQL (v{version}) to SQL"),
            Ref("cohort_sql_to_opportunity_rate", "SQL to opportunity"),
            Ref("cohort_opportunity_to_won_rate", "Opportunity to won"),
        ], note="Lead cohorts by creation month; the latest cohorts have no rate until their conversion "
                "window closes."),
    ]),
    Section("velocity", "Pipeline velocity", "How fast does the pipeline turn into revenue, and which input moved it?", [
        LineChart("velocity-value", "Pipeline velocity", [Ref("pipeline_velocity", "Pipeline velocity")], wide=True),
        LineChart("velocity-opportunities", "Input 1: qualified open opportunities",
                  [Ref("qualified_open_pipeline_count", "Qualified open opportunities")]),
        LineChart("velocity-win-rate", "Input 2: win rate (trailing window)",
                  [Ref("pipeline_velocity_win_rate", "Win rate")]),
        LineChart("velocity-deal-size", "Input 3: average won deal size (trailing window)",
                  [Ref("pipeline_velocity_avg_won_deal_size", "Average won deal size")]),
        LineChart("velocity-cycle", "Input 4: sales cycle (trailing window)",
                  [Ref("pipeline_velocity_sales_cycle_days", "Sales cycle")]),
    ]),
    Section("win-rate", "Win rate and sales cycle", "Of the deals closed each month, how many were won, and how long did they take?", [
        LineChart("win-rate", "Win rate of deals closed in the month",
                  [Ref("win_rate_count", "By count"), Ref("win_rate_amount", "By amount")]),
        LineChart("sales-cycle", "Sales cycle of deals won in the month",
                  [Ref("sales_cycle_days_median", "Median"), Ref("sales_cycle_days_avg", "Mean")]),
    ]),
    Section("bookings", "Bookings", "How much new business was won each month?", [
        MonthlyBars("bookings", "Bookings", [Ref("bookings_amount", "Bookings")]),
        MonthlyBars("won-deals", "Won deals", [Ref("won_deals_count", "Won deals")]),
    ]),
    Section("mrr", "MRR movements", "What moved recurring revenue from the start to the end of the period?", [
        Waterfall(
            "mrr-waterfall", "MRR waterfall",
            opening=Ref("starting_mrr", "Starting MRR"),
            movements=[
                (Ref("new_mrr", "New MRR"), 1),
                (Ref("expansion_mrr", "Expansion MRR"), 1),
                (Ref("reactivation_mrr", "Reactivation MRR"), 1),
                (Ref("contraction_mrr", "Contraction MRR"), -1),
                (Ref("churned_mrr", "Churned MRR"), -1),
            ],
            closing=Ref("mrr", "Ending MRR"),
        ),
        LineChart("mrr-trend", "MRR at month end", [Ref("mrr", "MRR")]),
    ]),
    Section("retention", "Churn and retention", "How many customers and how much revenue do we keep?", [
        LineChart("logo-churn", "Logo churn rate",
                  [Ref("logo_churn_rate", "All churn"), Ref("voluntary_logo_churn_rate", "Voluntary"),
                   Ref("involuntary_logo_churn_rate", "Involuntary")]),
        LineChart("revenue-retention", "Gross and net revenue retention",
                  [Ref("gross_revenue_retention", "GRR"), Ref("net_revenue_retention", "NRR")],
                  include_zero=False),
    ]),
    Section("unit-economics", "LTV, CAC and payback", "Does a new customer pay back what it cost to win?", [
        Tiles("unit-economics-tiles", "Unit economics in the period", [
            Ref("ltv", "LTV"), Ref("cac", "CAC"), Ref("ltv_to_cac", "LTV to CAC", display_unit="multiple"),
            Ref("cac_payback_months", "CAC payback"),
        ]),
        LineChart("ltv-cac", "LTV and CAC", [Ref("ltv", "LTV"), Ref("cac", "CAC")]),
    ]),
    Section("feedback", "Sales feedback loop", "Does sales answer marketing's leads on time, and does the lead score predict what sales finds?", [
        LineChart("feedback-sla", "Handoffs with a sales verdict within the SLA",
                  [Ref("feedback_sla_attainment_rate", "Within SLA")]),
        LineChart("feedback-hours", "Median hours from handoff to verdict",
                  [Ref("feedback_median_hours_to_verdict", "Median hours")]),
        Calibration("lead-calibration", "Lead-quality calibration by lead-score band",
                    predicted=Ref("lead_quality_predicted_sql_rate", "Predicted SQL rate"),
                    realised=Ref("lead_quality_sql_rate", "Realised SQL rate"),
                    score=Ref("lead_quality_brier_score", "Brier score"),
                    dimension_name="lead_score_band"),
        LineChart("feedback-verdicts", "Verdicts on handoffs", [
            Ref("feedback_acceptance_rate", "Accepted"),
            Ref("feedback_rejection_rate", "Rejected"),
            Ref("feedback_recycle_rate", "Recycled"),
        ]),
    ]),
    Section("product", "Product outcomes", "Do customers reach value, and does adopting a feature keep them?", [
        Tiles("time-to-value", "Time to value", [
            Ref("median_days_to_value", "Median days to value"),
            Ref("reached_value_rate", "Reached value"),
        ], sample_label="accounts", latest=True, grain="year"),
        Tiles("feature-adoption", "Retention by feature adoption", [
            Ref("feature_adopter_retention_rate", "Adopters retained"),
            Ref("feature_non_adopter_retention_rate", "Non-adopters retained"),
        ], sample_label="accounts", latest=True, dimension_name="feature", grain="year"),
    ]),
    Section("cohorts", "Revenue cohorts", "How much of each start cohort's revenue is still here, month by month?", [
        Heatmap("cohort-revenue", "Revenue retention by start cohort",
                Ref("cohort_revenue_retention_rate", "Revenue retention"), "months_since_start",
                "Months since start"),
    ]),
]
