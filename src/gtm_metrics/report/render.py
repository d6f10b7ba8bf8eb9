"""Render the report: select from the built database, draw, write one file."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from gtm_metrics.report.data import Definition, MetricStore
from gtm_metrics.report.sections import SECTIONS, SectionView

logger = logging.getLogger(__name__)


@dataclass
class CatalogRow:
    """One row of the report's catalog: a definition, or a metric the
    charts read that has no definition."""

    name: str
    version: int | None
    anchor: str
    definition: Definition | None


def _catalog_rows(store: MetricStore, sections: list[SectionView]) -> list[CatalogRow]:
    """Return one row per metric version the charts read, with its catalog
    entry when metric_definitions has one."""
    rows: dict[str, CatalogRow] = {}
    for section in sections:
        for chart in section.charts:
            for item in chart.metrics:
                if item.anchor not in rows:
                    rows[item.anchor] = CatalogRow(item.ref.name, item.version, item.anchor, item.definition)
    return sorted(rows.values(), key=lambda row: (row.name, row.version if row.version is not None else -1))


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def inline_markdown(text: str | None) -> Markup:
    """Escape a docs block's text and keep its bold and code spans and its
    paragraph breaks; every other character is shown as written."""
    html = str(escape(text or ""))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _CODE.sub(r"<code>\1</code>", html)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", html) if part.strip()]
    return Markup("".join(f"<p>{part}</p>" for part in paragraphs))


def _template() -> jinja2.Template:
    # The templates ship as package data (see pyproject.toml), so this works
    # from a wheel as well as from a checkout.
    folder = resources.files("gtm_metrics.report") / "templates"
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters["inline_markdown"] = inline_markdown
    return environment.from_string((folder / "report.html.j2").read_text(encoding="utf-8"))


def _stylesheet() -> str:
    return (resources.files("gtm_metrics.report") / "templates" / "report.css").read_text(encoding="utf-8")


def render_report(
    database: Path,
    output: Path,
    period: str | date | None = None,
    segment: str | None = None,
) -> Path:
    """Write a self-contained HTML report of the metrics in `database`.

    `period` is "YYYY-MM", "YYYY-Qn", "YYYY" or a date (its month); by
    default the latest month in the metrics table. `segment` selects the
    rows with dimension_name = 'segment' and that value; by default the
    totals. A chart whose metric has no rows shows a notice in its place. Raises
    InputError when the database, the relations `metrics` and
    `metric_definitions`, the period or the segment are not usable.
    Returns the path written.
    """
    database = Path(database)
    output = Path(output)
    with MetricStore(database) as store:
        selection = store.select(period, segment)
        sections = [section.view(store, selection) for section in SECTIONS]
        catalog = _catalog_rows(store, sections)
    html = _template().render(
        selection=selection,
        sections=sections,
        catalog=catalog,
        catalog_incomplete=sum(
            1 for row in catalog
            if row.definition is None or not (row.definition.definition and row.definition.definition_sha256)
        ),
        css=_stylesheet(),
        database_name=database.name,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    missing = [chart.key for section in sections for chart in section.charts if chart.status != "ok"]
    if missing:
        logger.warning("report %s: charts without data: %s", output, ", ".join(missing))
    logger.info("report written to %s (%s, %s)", output, selection.label, selection.segment or "all segments")
    return output
