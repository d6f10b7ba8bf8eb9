"""`dbt docs generate --static` builds the documentation site offline, with
every public model and column described and the metric docs blocks
rendered. static_index.html embeds the manifest and catalog, so it opens
from the file system without a web server."""

from __future__ import annotations

import json

import pytest

from gtm_metrics.dbt_runner import run_dbt

# Any HTTP(S) request dbt made would go to this closed local port and fail.
OFFLINE_ENVIRONMENT = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
}


@pytest.fixture(scope="module")
def docs_site(demo_build, tmp_path_factory):
    assert demo_build.outcome.success, "the demo build failed: " + "; ".join(demo_build.outcome.failures[:5])
    target_path = tmp_path_factory.mktemp("docs")
    outcome = run_dbt(
        ["docs", "generate", "--static"],
        database=demo_build.database,
        target_path=target_path,
        raise_on_failure=False,
        extra_env=OFFLINE_ENVIRONMENT,
    )
    return outcome, target_path


@pytest.fixture(scope="module")
def manifest(docs_site) -> dict:
    return json.loads((docs_site[1] / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog(docs_site) -> dict:
    return json.loads((docs_site[1] / "catalog.json").read_text(encoding="utf-8"))


def _public_models(manifest: dict) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("access") == "public"
    ]


def test_docs_generate_offline(docs_site):
    outcome, target_path = docs_site
    assert outcome.success
    for name in ["index.html", "static_index.html", "manifest.json", "catalog.json"]:
        assert (target_path / name).is_file(), f"{name} missing from the docs site"


def test_public_models_described(manifest):
    models = _public_models(manifest)
    assert len(models) >= 10
    undescribed = [model["name"] for model in models if not model["description"].strip()]
    assert not undescribed, f"public models without a description: {undescribed}"


def test_public_columns_described(manifest, catalog):
    """Every column the built relation has is declared in YAML with a
    description."""
    problems = []
    for model in _public_models(manifest):
        declared = {name.lower(): column for name, column in model["columns"].items()}
        built = catalog["nodes"].get(model["unique_id"], {}).get("columns", {})
        if not built:
            problems.append(f"{model['name']}: not in the catalog (not built)")
        for column_name in built:
            column = declared.get(column_name.lower())
            if column is None:
                problems.append(f"{model['name']}.{column_name}: not declared")
            elif not column["description"].strip():
                problems.append(f"{model['name']}.{column_name}: no description")
    assert not problems, "\n".join(problems[:20])


def test_docs_blocks_rendered(manifest):
    """Descriptions hold the docs blocks' text, never an unrendered doc()
    call, and every docs block the metric catalog names exists."""
    docs = {doc["name"] for doc in manifest["docs"].values()}
    for node in list(manifest["nodes"].values()) + list(manifest["metrics"].values()):
        assert "{{ doc(" not in node.get("description", ""), f"{node['unique_id']}: unrendered docs block"
    named = {
        entry["docs_block"]
        for node in manifest["nodes"].values()
        for entry in (node.get("config", {}).get("meta") or {}).get("metrics") or []
    }
    assert named
    assert named <= docs, f"docs blocks named by the catalog but missing: {sorted(named - docs)}"


def test_metric_docs_in_site(manifest):
    """The site lists the semantic models and metrics, each metric
    described by its docs block."""
    assert len(manifest["semantic_models"]) >= 8
    metrics = {metric["name"]: metric for metric in manifest["metrics"].values()}
    assert "new_mqls" in metrics
    assert metrics["new_mqls"]["description"].startswith("**New MQLs, version 2")


def test_static_page_embeds_metrics(docs_site):
    """The static page carries the manifest itself, metric descriptions
    included, so it needs neither a web server nor a network."""
    page = (docs_site[1] / "static_index.html").read_text(encoding="utf-8")
    assert "metric.gtm_metrics.new_mqls" in page
    assert "model.gtm_metrics.metrics" in page
