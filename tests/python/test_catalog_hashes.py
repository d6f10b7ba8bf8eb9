"""The hashing rules of gtm_metrics.catalog on hand-made manifests: SQL
normalisation, the definition text, and which changes move which hash."""

from __future__ import annotations

import copy
import hashlib

import pytest

from gtm_metrics.catalog import (
    CatalogInputError,
    compute_hashes,
    definition_text,
    normalize_sql,
    text_value,
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest_fixture() -> dict:
    """A manifest with a seed, a staging model and one metrics model that lists two metrics."""
    metrics_meta = {
        "metrics": [
            {
                "name": "new_things",
                "version": 2,
                "label": "New things",
                "unit": "count",
                "numerator": None,
                "denominator": None,
                "time_dimension": "created_date",
                "filters": ["live things", "  deleted   excluded "],
                "owner_group": "marketing",
                "docs_block": "things_block",
            },
            {
                "name": "new_things",
                "version": 1,
                "label": "New things (old)",
                "unit": "count",
                "time_dimension": "created_date",
                "owner_group": "marketing",
                "docs_block": "things_block",
                "deprecation_date": "2027-06-30",
            },
        ]
    }
    return {
        "metadata": {"project_name": "gtm_metrics"},
        "nodes": {
            "seed.gtm_metrics.mapping": {
                "unique_id": "seed.gtm_metrics.mapping",
                "resource_type": "seed",
                "name": "mapping",
                "package_name": "gtm_metrics",
                "checksum": {"name": "sha256", "checksum": "a" * 64},
                "depends_on": {"nodes": []},
            },
            "model.gtm_metrics.stg_things": {
                "unique_id": "model.gtm_metrics.stg_things",
                "resource_type": "model",
                "name": "stg_things",
                "package_name": "gtm_metrics",
                "checksum": {"name": "sha256", "checksum": "b" * 64},
                "config": {"meta": {}},
                "compiled_code": 'select * from "db"."raw"."things"',
                "depends_on": {"nodes": ["seed.gtm_metrics.mapping"]},
            },
            "model.gtm_metrics.metrics_things": {
                "unique_id": "model.gtm_metrics.metrics_things",
                "resource_type": "model",
                "name": "metrics_things",
                "package_name": "gtm_metrics",
                "checksum": {"name": "sha256", "checksum": "c" * 64},
                "config": {"meta": metrics_meta},
                "compiled_code": 'select\n    count(*) as value\nfrom "db"."main"."stg_things"\n',
                "depends_on": {"nodes": ["model.gtm_metrics.stg_things"]},
            },
        },
        "docs": {
            "doc.gtm_metrics.things_block": {
                "unique_id": "doc.gtm_metrics.things_block",
                "name": "things_block",
                "package_name": "gtm_metrics",
                "block_contents": "**New things.** Things created\nin the period.",
            }
        },
    }


def test_normalize_sql_drops_database_and_schema():
    assert normalize_sql('select * from "gtm"."main"."fct_mqls"') == 'select * from "fct_mqls"'
    assert normalize_sql('select * from "gtm_metrics"."analytics"."fct_mqls"') == 'select * from "fct_mqls"'


def test_normalize_sql_keeps_quoted_quotes():
    assert normalize_sql('from "d""b"."s"."t""x"') == 'from "t""x"'


def test_normalize_sql_collapses_whitespace():
    assert normalize_sql("  select\n\t1   as x\r\n  ") == "select 1 as x"


def test_normalize_sql_keeps_two_part_names_and_case():
    assert normalize_sql('select "A" from "s"."t"') == 'select "A" from "s"."t"'


def test_text_value_rules():
    assert text_value(None) is None
    assert text_value("  ") is None
    assert text_value(["a", None, " b  c "]) == "a; b c"
    assert text_value(True) == "true"
    assert text_value(2) == "2"


def test_definition_text_layout():
    fields = {"metric_name": "x", "metric_version": "1", "label": "X", "unit": "count"}
    text = definition_text(fields, "Counts\n  things.")
    assert text.split("\n") == [
        "metric_name: x",
        "metric_version: 1",
        "label: X",
        "unit: count",
        "numerator:",
        "denominator:",
        "filters:",
        "time_dimension:",
        "owner_group:",
        "computed_by:",
        "deprecation_date:",
        "definition: Counts things.",
    ]
    assert not text.endswith("\n")


def test_compute_hashes_orders_versions_and_hashes_text():
    hashes = compute_hashes(manifest_fixture())
    assert [(m.metric_name, m.metric_version) for m in hashes.metrics] == [("new_things", "1"), ("new_things", "2")]
    version_2 = hashes.metrics[1]
    assert "filters: live things; deleted excluded" in version_2.definition_text
    assert version_2.definition_text.endswith("definition: **New things.** Things created in the period.")
    assert version_2.definition_sha256 == sha256(version_2.definition_text)


def test_compiled_sql_hash_is_the_normalised_sql():
    hashes = compute_hashes(manifest_fixture())
    (model,) = hashes.models
    assert model.compiled_sql_sha256 == sha256('select count(*) as value from "stg_things"')


def test_upstream_hash_lists_models_and_seeds():
    manifest = manifest_fixture()
    (model,) = compute_hashes(manifest).models
    staging = sha256('select * from "things"')
    expected_lines = [
        f"model.gtm_metrics.metrics_things {model.compiled_sql_sha256}",
        f"model.gtm_metrics.stg_things {staging}",
        f"seed.gtm_metrics.mapping {'a' * 64}",
    ]
    assert model.upstream_sql_sha256 == sha256("\n".join(expected_lines))


def test_hashes_ignore_database_and_schema():
    first = compute_hashes(manifest_fixture())
    manifest = manifest_fixture()
    for node in manifest["nodes"].values():
        if "compiled_code" in node:
            node["compiled_code"] = node["compiled_code"].replace('"db"', '"other_db"').replace('"main"', '"prod"')
    assert compute_hashes(manifest) == first


def test_upstream_change_moves_only_upstream_hash():
    first = compute_hashes(manifest_fixture())
    manifest = manifest_fixture()
    manifest["nodes"]["model.gtm_metrics.stg_things"]["compiled_code"] += " where score >= 80"
    second = compute_hashes(manifest)
    assert second.models[0].compiled_sql_sha256 == first.models[0].compiled_sql_sha256
    assert second.models[0].upstream_sql_sha256 != first.models[0].upstream_sql_sha256
    assert second.metrics == first.metrics


def test_seed_change_moves_upstream_hash():
    first = compute_hashes(manifest_fixture())
    manifest = manifest_fixture()
    manifest["nodes"]["seed.gtm_metrics.mapping"]["checksum"]["checksum"] = "d" * 64
    assert compute_hashes(manifest).models[0].upstream_sql_sha256 != first.models[0].upstream_sql_sha256


def test_docs_change_moves_definition_hash_only():
    first = compute_hashes(manifest_fixture())
    manifest = manifest_fixture()
    manifest["docs"]["doc.gtm_metrics.things_block"]["block_contents"] = "**New things.** Things created."
    second = compute_hashes(manifest)
    assert second.metrics[0].definition_sha256 != first.metrics[0].definition_sha256
    assert second.models == first.models


def test_whitespace_only_change_keeps_every_hash():
    first = compute_hashes(manifest_fixture())
    manifest = copy.deepcopy(manifest_fixture())
    node = manifest["nodes"]["model.gtm_metrics.metrics_things"]
    node["compiled_code"] = node["compiled_code"].replace("\n    ", "\n\t\t")
    manifest["docs"]["doc.gtm_metrics.things_block"]["block_contents"] += "\n\n"
    second = compute_hashes(manifest)
    assert [m.definition_sha256 for m in second.metrics] == [m.definition_sha256 for m in first.metrics]
    assert second.models == first.models


def test_missing_compiled_sql_is_an_input_error():
    manifest = manifest_fixture()
    del manifest["nodes"]["model.gtm_metrics.stg_things"]["compiled_code"]
    with pytest.raises(CatalogInputError, match="stg_things has no compiled SQL"):
        compute_hashes(manifest)
