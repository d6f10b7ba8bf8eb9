"""The funnel's metric list, docs blocks and MQL versions agree with each
other and with the SQL, read from the project files without a build."""

from __future__ import annotations

import re

import yaml

from conftest import PROJECT

FUNNEL = PROJECT / "models/marts/funnel"


def model_yaml(name: str) -> dict:
    text = (FUNNEL / f"{name}.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["models"][0]


def listed_metrics() -> list[dict]:
    return model_yaml("metrics_funnel")["config"]["meta"]["metrics"]


def metrics_in_sql() -> set[tuple[str, int]]:
    """Return (name, version) of every metric the jinja lists of metrics_funnel.sql publish."""
    sql = (FUNNEL / "metrics_funnel.sql").read_text(encoding="utf-8")
    published = set()
    for block_name in ("count_metrics", "interval_metrics", "cohort_metrics"):
        block = re.search(r"set " + block_name + r" = \[(.*?)\] -%\}", sql, re.DOTALL).group(1)
        for name, version in re.findall(r"\('([a-z_]+)', (\d+),", block):
            if block_name == "interval_metrics":
                published |= {(f"median_{name}", int(version)), (f"mean_{name}", int(version))}
            else:
                published.add((name, int(version)))
    return published


def test_metric_list_matches_sql():
    listed = {(metric["name"], metric["version"]) for metric in listed_metrics()}
    assert listed == metrics_in_sql()


def test_metric_list_has_no_duplicates():
    keys = [(metric["name"], metric["version"]) for metric in listed_metrics()]
    assert len(keys) == len(set(keys))


def test_metric_docs_blocks_exist():
    docs = (FUNNEL / "_funnel__docs.md").read_text(encoding="utf-8")
    blocks = set(re.findall(r"{%\s*docs\s+([a-z_0-9]+)\s*%}", docs))
    for metric in listed_metrics():
        assert metric["docs_block"] in blocks, metric["name"]


def test_metric_entries_have_required_fields():
    required = {"name", "version", "label", "unit", "numerator", "denominator", "time_dimension", "filters",
                "owner_group", "docs_block"}
    for metric in listed_metrics():
        assert required <= set(metric), metric["name"]
        assert metric["unit"] in {"count", "ratio", "days"}, metric["name"]


def test_mql_version_one_metrics_share_model_deprecation():
    mqls = model_yaml("fct_mqls")
    assert mqls["latest_version"] == 2
    versions = {version["v"]: version for version in mqls["versions"]}
    deprecation_date = str(versions[1]["deprecation_date"])
    assert "deprecation_date" not in versions[2]
    versioned = {metric["name"] for metric in listed_metrics() if metric["version"] == 2}
    for metric in listed_metrics():
        if metric["name"] in versioned and metric["version"] == 1:
            assert str(metric.get("deprecation_date")) == deprecation_date, metric["name"]
        else:
            assert "deprecation_date" not in metric, metric["name"]
