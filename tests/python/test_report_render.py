"""The HTML report, rendered from a small metrics table in the long shape
(tests/python/data/report) without a browser: content, missing metrics,
segments, periods, escaping and catalog links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from gtm_metrics.errors import InputError
from gtm_metrics.report import render_report
from gtm_metrics.report.sections import SECTIONS

FIXTURE = Path(__file__).parent / "data" / "report"


def build_fixture_database(path: Path) -> Path:
    """Create `metrics` and `metric_definitions` from the fixture CSV files."""
    sql = (FIXTURE / "load.sql").read_text(encoding="utf-8").replace("{folder}", str(FIXTURE))
    with duckdb.connect(str(path)) as connection:
        connection.execute(sql)
    return path


class ReportPage(HTMLParser):
    """The parts of a rendered report that the tests check."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.figures: dict[str, dict] = {}
        self.sections: dict[str, str] = {}
        self.scripts = 0
        self.external: list[str] = []
        self._figure: str | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name in ("href", "src"):
            value = attributes.get(name) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag == "script":
            self.scripts += 1
        if tag == "section" and "data-status" in attributes:
            self.sections[attributes["id"]] = attributes["data-status"]
        if tag == "figure":
            self._figure = attributes["id"]
            self._depth = 0
            self.figures[self._figure] = {"status": attributes.get("data-status"), "svg": 0, "marks": 0,
                                          "tiles": 0, "text": []}
        if self._figure:
            self._depth += 1
            figure = self.figures[self._figure]
            figure["svg"] += tag == "svg"
            figure["marks"] += "mark" in (attributes.get("class") or "").split()
            figure["tiles"] += "tile" in (attributes.get("class") or "").split()

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None

    def handle_data(self, data):
        if self._figure:
            self.figures[self._figure]["text"].append(data)

    def text(self, figure: str) -> str:
        return " ".join(" ".join(self.figures[figure]["text"]).split())


@pytest.fixture()
def fixture_database(tmp_path) -> Path:
    return build_fixture_database(tmp_path / "report.duckdb")


def render(database: Path, tmp_path: Path, **options) -> tuple[str, ReportPage]:
    output = render_report(database, tmp_path / "report.html", **options)
    html = output.read_text(encoding="utf-8")
    return html, ReportPage(html)


def chart_keys() -> list[str]:
    return [f"chart-{chart.key}" for section in SECTIONS for chart in section.charts]


def test_report_every_chart_has_data(fixture_database, tmp_path):
    _, page = render(fixture_database, tmp_path)
    assert sorted(page.figures) == sorted(chart_keys())
    for key, figure in page.figures.items():
        assert figure["status"] == "ok", f"{key}: {page.text(key)}"
        assert figure["svg"] + figure["tiles"] > 0, f"{key} draws nothing"
        assert figure["marks"] + figure["tiles"] > 0, f"{key} has no marks"
    assert all(status == "ok" for status in page.sections.values())


def test_report_is_self_contained(fixture_database, tmp_path):
    html, page = render(fixture_database, tmp_path)
    assert page.scripts == 0
    assert page.external == []
    # The only URL in the file is the SVG namespace name, which is never fetched.
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "<style>" in html
    assert "<link" not in html


def test_report_links_resolve_to_catalog(fixture_database, tmp_path):
    _, page = render(fixture_database, tmp_path)
    anchors = [link[1:] for link in page.links if link.startswith("#")]
    assert anchors
    assert [anchor for anchor in anchors if anchor not in page.ids] == []
    assert "def-cohort_mql_rate-v2" in anchors
    # The catalog lists the versions the charts show, not the deprecated one.
    assert "def-cohort_mql_rate-v1" not in page.ids


def test_report_catalog_shows_definition_and_hashes(fixture_database, tmp_path):
    html, _ = render(fixture_database, tmp_path)
    with duckdb.connect(str(fixture_database), read_only=True) as connection:
        definition_hash, sql_hash = connection.execute(
            "select definition_sha256, compiled_sql_sha256 from metric_definitions "
            "where metric_name = 'ltv' and metric_version = 1"
        ).fetchone()
    entry = re.search(r'<tr id="def-ltv-v1">(.*?)</tr>\s*<tr class="hashes">(.*?)</tr>', html, re.S)
    assert "<strong>Ltv.</strong> Fixture definition of <code>ltv</code> version 1." in entry.group(1)
    assert f'of the definition text <code class="hash">{definition_hash}</code>' in entry.group(2)
    assert f'of the compiled SQL <code class="hash">{sql_hash}</code>' in entry.group(2)


def test_report_funnel_shows_mql_version(fixture_database, tmp_path):
    _, page = render(fixture_database, tmp_path)
    text = page.text("chart-funnel-cohort")
    assert "MQL (v2)" in text
    assert "Lead cohort of Sep 2024" in text
    assert "30.0 % lead to MQL (v2)" in text
    assert "50.0 % MQL (v2) to SQL" in text


def test_report_values_come_from_table(fixture_database, tmp_path):
    _, page = render(fixture_database, tmp_path)
    tiles = page.text("chart-unit-economics-tiles")
    assert "USD 27,300" in tiles
    assert "3.96×" in tiles
    assert "11.8 months" in tiles
    proof = page.text("chart-feature-adoption")
    assert "Adopters retained: integrations 90.0 % cohort 2024; n = 120 accounts" in proof
    assert "Non-adopters retained: integrations 70.0 % cohort 2024; n = 120 accounts" in proof


def test_report_missing_metric_is_visible(fixture_database, tmp_path):
    with duckdb.connect(str(fixture_database)) as connection:
        connection.execute("delete from metrics where metric_name = 'net_revenue_retention'")
        connection.execute("delete from metrics where metric_name = 'bookings_amount'")
    html, page = render(fixture_database, tmp_path)
    for key, metric in (("chart-revenue-retention", "net_revenue_retention v1"), ("chart-bookings", "bookings_amount v1")):
        figure = page.figures[key]
        assert figure["status"] == "missing"
        assert figure["svg"] == 0
        assert "No data for this chart." in page.text(key)
        assert metric in page.text(key)
    assert page.sections["retention"] == "missing"
    assert page.sections["bookings"] == "missing"
    assert page.figures["chart-won-deals"]["status"] == "ok"
    assert html.count("(data missing)") == 2


def test_report_metric_without_rows_in_window(fixture_database, tmp_path):
    with duckdb.connect(str(fixture_database)) as connection:
        connection.execute("update metrics set value = null where metric_name = 'feedback_sla_attainment_rate'")
    _, page = render(fixture_database, tmp_path)
    assert page.figures["chart-feedback-sla"]["status"] == "missing"
    assert "No rows with a value" in page.text("chart-feedback-sla")


def test_report_metric_without_catalog_entry(fixture_database, tmp_path):
    with duckdb.connect(str(fixture_database)) as connection:
        connection.execute("delete from metric_definitions where metric_name = 'mrr'")
    html, page = render(fixture_database, tmp_path)
    assert page.figures["chart-mrr-trend"]["status"] == "ok"
    row = re.search(r'<tr id="def-mrr-v1" class="not-in-catalog">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "this metric has no catalog entry" in row.group(1)
    assert re.search(r"<strong>1 of \d+ definitions have no definition text or hashes\.</strong>", html)


def test_report_catalog_complete_has_no_warning(fixture_database, tmp_path):
    html, _ = render(fixture_database, tmp_path)
    assert "have no definition text or hashes" not in html


def test_report_segment_selects_segment_rows(fixture_database, tmp_path):
    _, page = render(fixture_database, tmp_path, segment="smb")
    waterfall = page.text("chart-mrr-waterfall")
    # Ending MRR of smb in December 2024 is 0.3 x 74,000.
    assert "segment smb" not in waterfall
    assert "22.2k" in waterfall
    assert "Shown for all segments" not in waterfall
    tiles = page.text("chart-unit-economics-tiles")
    assert "Shown for all segments, because these metrics have no segment breakdown: cac, cac_payback_months" in tiles


def test_report_unknown_segment_rejected(fixture_database, tmp_path):
    with pytest.raises(InputError, match="segment 'nonexistent' not found.*enterprise, smb"):
        render_report(fixture_database, tmp_path / "report.html", segment="nonexistent")


@pytest.mark.parametrize("period", ["2024-13", "June 2024", "2024-Q5", ""])
def test_report_invalid_period_rejected(fixture_database, tmp_path, period):
    with pytest.raises(InputError, match="invalid report period"):
        render_report(fixture_database, tmp_path / "report.html", period=period)


def test_report_earlier_period(fixture_database, tmp_path):
    html, page = render(fixture_database, tmp_path, period="2024-06")
    assert "Period <strong>June 2024</strong>" in html
    assert "lead cohort of jun 2024" in page.text("chart-funnel-cohort").lower()
    assert page.figures["chart-mrr-waterfall"]["status"] == "ok"


def test_report_quarter_without_quarter_rows(fixture_database, tmp_path):
    _, page = render(fixture_database, tmp_path, period="2024-Q4")
    figure = page.figures["chart-mrr-waterfall"]
    assert figure["status"] == "missing"
    assert "at quarter grain for 2024 Q4" in page.text("chart-mrr-waterfall")


def test_report_escapes_table_text(fixture_database, tmp_path):
    segment = "<script>alert(1)</script>"
    with duckdb.connect(str(fixture_database)) as connection:
        connection.execute(
            "insert into metrics select metric_name, metric_version, grain, period_start, dimension_name, ?, "
            "value, numerator, denominator, unit from metrics where dimension_value = 'smb'",
            [segment],
        )
        connection.execute("update metric_definitions set label = '<b>LTV</b>' where metric_name = 'ltv'")
    html, page = render(fixture_database, tmp_path, segment=segment)
    assert page.scripts == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>LTV</b>" not in html
    assert "&lt;b&gt;LTV&lt;/b&gt;" in html


def test_report_calibration_chart(fixture_database, tmp_path):
    _, page = render(fixture_database, tmp_path)
    text = page.text("chart-lead-calibration")
    assert "[60,80), n = 100" in text
    assert "(unknown)" not in text
    assert "Handoffs (MQLs) in 2024" in text
    assert "Brier score: 0.231" in text
    assert page.figures["chart-lead-calibration"]["marks"] == 5


def test_report_output_is_deterministic(fixture_database, tmp_path):
    first = render_report(fixture_database, tmp_path / "first.html").read_bytes()
    second = render_report(fixture_database, tmp_path / "second.html").read_bytes()
    assert first == second


def test_report_missing_relation_rejected(tmp_path):
    database = tmp_path / "empty.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create table unrelated (x integer)")
    with pytest.raises(InputError, match="relation 'metrics' not found"):
        render_report(database, tmp_path / "report.html")


def test_report_missing_database_rejected(tmp_path):
    with pytest.raises(InputError, match="not found"):
        render_report(tmp_path / "absent.duckdb", tmp_path / "report.html")
