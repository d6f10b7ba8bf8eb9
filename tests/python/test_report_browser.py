"""The HTML report as a reader sees it: rendered from the demo build,
opened offline in headless Chromium (Debian's package), screenshotted and
checked for drawn charts, resolved links, network requests and console
errors.

Chromium is driven through the DevTools protocol over a pipe (see
gtm_metrics.report.browser): console calls, uncaught exceptions, browser
log entries and requests arrive as protocol events, so nothing depends on
parsing Chromium's own log output.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import duckdb
import pytest

from gtm_metrics.catalog import export_catalog
from gtm_metrics.report import render_report
from gtm_metrics.report.browser import inspect_page
from gtm_metrics.report.sections import SECTIONS

from test_report_render import build_fixture_database

pytestmark = pytest.mark.slow

VIEWPORT_WIDTH = 1360

# Runs in the page after it loaded; returns what each chart drew.
PAGE_SUMMARY = """
(() => {
    const visible = (element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    };
    const figures = Array.from(document.querySelectorAll("figure.chart-card")).map((figure) => {
        const svg = figure.querySelector("svg.chart");
        const missing = figure.querySelector(".missing");
        return {
            id: figure.id,
            status: figure.dataset.status,
            svg: svg ? visible(svg) : false,
            marks: Array.from(figure.querySelectorAll("svg .mark")).filter(visible).length,
            tiles: Array.from(figure.querySelectorAll(".tile")).filter(visible).length,
            missingShown: missing ? visible(missing) : false,
            text: figure.innerText.slice(0, 300),
        };
    });
    const catalog = Array.from(document.querySelectorAll("#catalog tbody tr[id]")).map((row) => {
        const hashes = row.nextElementSibling;
        return {
            id: row.id,
            hashes: hashes ? Array.from(hashes.querySelectorAll("code.hash"))
                .filter((code) => /^[0-9a-f]{64}$/.test(code.textContent)).length : 0,
            text: row.innerText.slice(0, 300),
        };
    });
    const unresolved = Array.from(document.querySelectorAll("a[href^='#']"))
        .map((link) => link.getAttribute("href").slice(1))
        .filter((id) => !document.getElementById(id));
    return {
        figures: figures,
        unresolved: unresolved,
        catalog: catalog,
        scripts: document.scripts.length,
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
    };
})()
"""


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="module")
def demo_page(demo_build, tmp_path_factory):
    """The demo report, rendered from a copy of the demo build whose catalog
    carries definition texts and hashes, as after the main job."""
    folder = tmp_path_factory.mktemp("report")
    database = folder / "gtm.duckdb"
    with duckdb.connect(str(demo_build.database)) as connection:
        connection.execute("checkpoint")
    shutil.copyfile(demo_build.database, database)
    export_catalog(database, demo_build.target_path, folder / "catalog")
    output = render_report(database, folder / "report.html")
    screenshot = folder / "report.png"
    page = inspect_page(output, screenshot, expression=PAGE_SUMMARY, width=VIEWPORT_WIDTH)
    return output, screenshot, page


def test_demo_report_has_no_console_errors(demo_page):
    _, _, page = demo_page
    assert page.errors == []


def test_demo_report_loads_nothing_else(demo_page):
    output, _, page = demo_page
    assert page.requests == [output.resolve().as_uri()]
    assert page.evaluation["scripts"] == 0


def test_demo_report_every_chart_drawn(demo_page):
    _, _, page = demo_page
    figures = {figure["id"]: figure for figure in page.evaluation["figures"]}
    expected = [f"chart-{chart.key}" for section in SECTIONS for chart in section.charts]
    assert sorted(figures) == sorted(expected)
    for key in expected:
        figure = figures[key]
        assert figure["status"] == "ok", f"{key}: {figure['text']}"
        assert not figure["missingShown"], key
        assert figure["marks"] + figure["tiles"] > 0, f"{key} shows no mark and no figure"
        if figure["tiles"] == 0:
            assert figure["svg"], f"{key} has no visible chart"


def test_demo_report_links_resolve(demo_page):
    _, _, page = demo_page
    assert page.evaluation["unresolved"] == []


def test_demo_report_catalog_has_hashes(demo_page):
    _, _, page = demo_page
    catalog = page.evaluation["catalog"]
    assert catalog
    for row in catalog:
        assert row["hashes"] == 2, row["text"]
        assert "No definition text" not in row["text"], row["text"]


def test_demo_report_fits_viewport_width(demo_page):
    _, _, page = demo_page
    assert page.evaluation["scrollWidth"] <= VIEWPORT_WIDTH


def test_demo_report_screenshot(demo_page):
    _, screenshot, page = demo_page
    width, height = png_size(screenshot)
    assert width == VIEWPORT_WIDTH
    assert height == page.evaluation["scrollHeight"]
    assert screenshot.stat().st_size > 50_000


def test_missing_metric_shown_in_browser(tmp_path):
    database = build_fixture_database(tmp_path / "report.duckdb")
    with duckdb.connect(str(database)) as connection:
        connection.execute("delete from metrics where metric_name = 'cohort_revenue_retention_rate'")
    output = render_report(database, tmp_path / "report.html")
    page = inspect_page(output, tmp_path / "report.png", expression=PAGE_SUMMARY, width=VIEWPORT_WIDTH)
    assert page.errors == []
    figures = {figure["id"]: figure for figure in page.evaluation["figures"]}
    heatmap = figures["chart-cohort-revenue"]
    assert heatmap["status"] == "missing"
    assert heatmap["missingShown"]
    assert heatmap["marks"] == 0
    assert "Not in the metrics table: cohort_revenue_retention_rate v1." in heatmap["text"]
    others = [figure for key, figure in figures.items() if key != "chart-cohort-revenue"]
    assert all(figure["status"] == "ok" for figure in others)
