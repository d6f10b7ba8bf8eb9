"""Read the metrics table and the metric catalog from a built DuckDB file.

Every number the report shows is selected from `metrics` as it is: this
module filters rows by metric, version, grain, period and dimension and
never computes a metric.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from gtm_metrics.errors import InputError

METRICS_RELATION = "metrics"
CATALOG_RELATION = "metric_definitions"
SEGMENT_DIMENSION = "segment"
TOTAL = "all"
TREND_MONTHS = 12

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


# Columns of metric_definitions that the report shows.
CATALOG_COLUMNS = (
    "metric_name", "metric_version", "label", "definition", "numerator", "denominator", "filters",
    "time_dimension", "unit", "owner_group", "computed_by", "status", "deprecation_date",
    "definition_sha256", "compiled_sql_sha256", "hash_status",
)


@dataclass(frozen=True)
class Definition:
    """One metric version as the catalog describes it."""

    metric_name: str
    metric_version: int
    label: str | None
    definition: str | None
    numerator: str | None
    denominator: str | None
    filters: str | None
    time_dimension: str | None
    unit: str | None
    owner_group: str | None
    computed_by: str | None
    status: str | None
    deprecation_date: date | None
    definition_sha256: str | None
    compiled_sql_sha256: str | None
    hash_status: str | None

    @property
    def anchor(self) -> str:
        return f"def-{self.metric_name}-v{self.metric_version}"


@dataclass(frozen=True)
class Point:
    period_start: date
    value: float | None
    numerator: float | None
    denominator: float | None
    dimension_value: str = TOTAL


@dataclass
class Series:
    """Rows of one metric version at one grain and one dimension value."""

    name: str
    version: int
    unit: str | None
    grain: str
    dimension_name: str
    dimension_value: str
    points: list[Point] = field(default_factory=list)

    @property
    def has_values(self) -> bool:
        return any(point.value is not None for point in self.points)

    @property
    def labels(self) -> list[str]:
        return [point.dimension_value for point in self.points]


@dataclass(frozen=True)
class Selection:
    """The period and segment a report is drawn for."""

    grain: str
    period_start: date
    period_end: date
    label: str
    segment: str | None
    trend_start: date

    @property
    def dimension(self) -> tuple[str, str]:
        if self.segment is None:
            return (TOTAL, TOTAL)
        return (SEGMENT_DIMENSION, self.segment)


def add_months(day: date, months: int) -> date:
    """Return the first day of the month `months` after the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def parse_period(period: str | date) -> tuple[str, date, date, str]:
    """Parse a period into (grain, first date, last date, label).

    Accepted: a date or "YYYY-MM-DD" (its month), "YYYY-MM" (a month),
    "YYYY-Qn" (a calendar quarter) and "YYYY" (a calendar year).
    """
    if isinstance(period, date):
        start = date(period.year, period.month, 1)
        return "month", start, _month_end(start), start.strftime("%B %Y")
    text = str(period).strip()
    matched = _DAY.match(text) or _MONTH.match(text)
    if matched:
        try:
            day = date.fromisoformat(text) if _DAY.match(text) else date(int(matched[1]), int(matched[2]), 1)
        except ValueError:
            day = None
        if day is not None:
            start = date(day.year, day.month, 1)
            return "month", start, _month_end(start), start.strftime("%B %Y")
    matched = _QUARTER.match(text)
    if matched:
        year, quarter = int(matched.group(1)), int(matched.group(2))
        start = date(year, 3 * quarter - 2, 1)
        return "quarter", start, _month_end(add_months(start, 2)), f"{year} Q{quarter}"
    matched = _YEAR.match(text)
    if matched:
        year = int(matched.group(1))
        return "year", date(year, 1, 1), date(year, 12, 31), str(year)
    raise InputError(
        f"invalid report period {text!r}: use YYYY-MM for a month, YYYY-Qn for a quarter or YYYY for a year"
    )


def _connect(database: Path) -> duckdb.DuckDBPyConnection:
    """Open the database read-only. When this process already has the file
    open with the default configuration (dbt run in-process keeps its
    connection), open it with that configuration instead, because DuckDB
    rejects a second configuration for one file within a process. The
    report only runs selects either way."""
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.ConnectionException:
        return duckdb.connect(str(database))


class MetricStore:
    """A read-only connection to a built database, with the catalog loaded."""

    def __init__(self, database: Path):
        if not Path(database).is_file():
            raise InputError(f"database {database} not found: run `gtm-metrics run` or `gtm-metrics build` first")
        try:
            self._connection = _connect(Path(database))
        except duckdb.IOException as error:
            raise InputError(
                f"cannot open {database}: {error}. Another process, such as a running dbt build, has the "
                "file open for writing; render the report after it has finished"
            ) from error
        self.database = Path(database)
        self._metrics = self._relation(METRICS_RELATION)
        self._catalog = self._relation(CATALOG_RELATION)
        self.definitions = self._load_catalog()
        self._versions = self._load_versions()

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "MetricStore":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _relation(self, name: str) -> str:
        rows = self._connection.execute(
            """
            select table_schema
            from information_schema.tables
            where table_name = ?
            order by case when table_schema = 'main' then 0 else 1 end, table_schema
            """,
            [name],
        ).fetchall()
        if not rows:
            raise InputError(
                f"relation {name!r} not found in {self.database}: build the project first "
                "(`gtm-metrics build`), the report reads the tables `metrics` and `metric_definitions`"
            )
        schema = rows[0][0]
        if name == CATALOG_RELATION:
            self._catalog_schema = schema
        return '"{}"."{}"'.format(schema.replace('"', '""'), name)

    def _load_catalog(self) -> dict[tuple[str, int], Definition]:
        present = {
            row[0] for row in self._connection.execute(
                "select column_name from information_schema.columns where table_name = ? and table_schema = ?",
                [CATALOG_RELATION, self._catalog_schema],
            ).fetchall()
        }
        absent = [column for column in CATALOG_COLUMNS if column not in present]
        if absent:
            raise InputError(
                f"{self._catalog} lacks the columns {', '.join(absent)}: rebuild the project with this "
                "version of gtm_metrics"
            )
        rows = self._connection.execute(
            f"select {', '.join(CATALOG_COLUMNS)} from {self._catalog} order by metric_name, metric_version"
        ).fetchall()
        catalog = {}
        for row in rows:
            definition = Definition(*row)
            catalog[(definition.metric_name, definition.metric_version)] = definition
        return catalog

    def _load_versions(self) -> dict[str, list[int]]:
        rows = self._connection.execute(
            f"select distinct metric_name, metric_version from {self._metrics} order by metric_name, metric_version"
        ).fetchall()
        versions: dict[str, list[int]] = {}
        for name, version in rows:
            versions.setdefault(name, []).append(int(version))
        return versions

    def current_version(self, name: str) -> int | None:
        """Return the version the report shows: the highest catalog version
        that is not deprecated, else the highest version in `metrics`."""
        listed = sorted(
            version for (metric, version), definition in self.definitions.items()
            if metric == name and (definition.status or "").lower() != "deprecated"
        )
        if listed:
            return listed[-1]
        present = self._versions.get(name)
        return present[-1] if present else None

    def definition(self, name: str, version: int | None) -> Definition | None:
        if version is None:
            return None
        return self.definitions.get((name, version))

    def has_rows(self, name: str, version: int | None) -> bool:
        return version is not None and version in self._versions.get(name, [])

    def segments(self) -> list[str]:
        rows = self._connection.execute(
            f"""
            select distinct dimension_value
            from {self._metrics}
            where dimension_name = ?
            order by dimension_value
            """,
            [SEGMENT_DIMENSION],
        ).fetchall()
        return [row[0] for row in rows]

    def latest_month(self) -> date | None:
        row = self._connection.execute(
            f"select max(period_start) from {self._metrics} where grain = 'month' and dimension_name = ?",
            [TOTAL],
        ).fetchone()
        return row[0] if row else None

    def select(self, period: str | date | None, segment: str | None) -> Selection:
        """Resolve the report's period and segment, checking both exist."""
        if period is None:
            latest = self.latest_month()
            if latest is None:
                raise InputError(f"{self._metrics} has no monthly rows: there is nothing to report")
            period = latest
        grain, start, end, label = parse_period(period)
        if segment is not None and segment != TOTAL:
            known = self.segments()
            if segment not in known:
                listed = ", ".join(known) if known else "none"
                raise InputError(f"segment {segment!r} not found in {self._metrics}; segments present: {listed}")
        else:
            segment = None
        trend_start = add_months(date(end.year, end.month, 1), -(TREND_MONTHS - 1))
        return Selection(grain, start, end, label, segment, trend_start)

    def _dimension_for(self, name: str, version: int, selection: Selection) -> tuple[str, str]:
        """Return the selection's segment when the metric is broken down by
        segment, else the total."""
        dimension_name, dimension_value = selection.dimension
        if dimension_name == TOTAL:
            return (TOTAL, TOTAL)
        row = self._connection.execute(
            f"""
            select count(*)
            from {self._metrics}
            where metric_name = ? and metric_version = ? and dimension_name = ?
            """,
            [name, version, dimension_name],
        ).fetchone()
        if row and row[0]:
            return (dimension_name, dimension_value)
        return (TOTAL, TOTAL)

    def series(
        self,
        name: str,
        version: int,
        selection: Selection,
        grain: str = "month",
        start: date | None = None,
        end: date | None = None,
    ) -> Series:
        """Select one metric's rows for the selection's segment (or the
        total, when the metric has no segment rows) between two dates."""
        dimension_name, dimension_value = self._dimension_for(name, version, selection)
        rows = self._connection.execute(
            f"""
            select period_start, value, numerator, denominator, unit
            from {self._metrics}
            where metric_name = ?
                and metric_version = ?
                and grain = ?
                and dimension_name = ?
                and dimension_value = ?
                and period_start between ? and ?
            order by period_start
            """,
            [
                name, version, grain, dimension_name, dimension_value,
                start or selection.trend_start, end or selection.period_end,
            ],
        ).fetchall()
        result = Series(name, version, None, grain, dimension_name, dimension_value)
        for period_start, value, numerator, denominator, unit in rows:
            result.unit = unit
            result.points.append(Point(period_start, value, numerator, denominator))
        if result.unit is None:
            result.unit = self._unit(name, version)
        return result

    def breakdown(self, name: str, version: int, grain: str, period_start: date, dimension_name: str) -> Series:
        """Select one period's rows of one metric for every value of a
        dimension, in the order of the dimension value."""
        return self._dimension_rows(name, version, grain, period_start, period_start, dimension_name)

    def matrix(self, name: str, version: int, grain: str, start: date, end: date, dimension_name: str) -> Series:
        """Select the rows of one metric for every value of a dimension and
        every period between two dates, by period and dimension value."""
        return self._dimension_rows(name, version, grain, start, end, dimension_name)

    def latest_period(self, name: str, version: int, grain: str, selection: Selection,
                      dimension_name: str | None = None) -> date | None:
        """Return the latest period starting on or before the selected
        period's last day in which the metric has a defined value, for the
        selection's segment (or the total) or for any value of
        `dimension_name`."""
        if dimension_name is None:
            dimension_name, dimension_value = self._dimension_for(name, version, selection)
            condition, parameters = "dimension_name = ? and dimension_value = ?", [dimension_name, dimension_value]
        else:
            condition, parameters = "dimension_name = ?", [dimension_name]
        row = self._connection.execute(
            f"""
            select max(period_start)
            from {self._metrics}
            where metric_name = ?
                and metric_version = ?
                and grain = ?
                and period_start <= ?
                and value is not null
                and {condition}
            """,
            [name, version, grain, selection.period_end, *parameters],
        ).fetchone()
        return row[0] if row else None

    def _dimension_rows(self, name, version, grain, start, end, dimension_name) -> Series:
        rows = self._connection.execute(
            f"""
            select period_start, dimension_value, value, numerator, denominator, unit
            from {self._metrics}
            where metric_name = ?
                and metric_version = ?
                and grain = ?
                and period_start between ? and ?
                and dimension_name = ?
            order by period_start, dimension_value
            """,
            [name, version, grain, start, end, dimension_name],
        ).fetchall()
        result = Series(name, version, self._unit(name, version), grain, dimension_name, "*")
        for period_start, dimension_value, value, numerator, denominator, unit in rows:
            result.unit = unit
            result.points.append(Point(period_start, value, numerator, denominator, dimension_value))
        return result

    def _unit(self, name: str, version: int) -> str | None:
        definition = self.definitions.get((name, version))
        return definition.unit if definition else None
