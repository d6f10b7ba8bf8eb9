"""The definition catalog on the demo data: export, determinism, hashes an
auditor can recompute by hand, and the definition diff of MQL v1 and v2."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from gtm_metrics.catalog import JSON_FILE, MARKDOWN_FILE, compute_hashes, export_catalog, load_manifest
from gtm_metrics.cli import main
from gtm_metrics.dbt_runner import run_dbt
from gtm_metrics.definition_diff import MetricVersionNotFoundError, diff_metric_versions
from gtm_metrics.loader import load_folder_to_duckdb

from gtm_metrics.contract import project_dir

PROJECT = project_dir()

pytestmark = pytest.mark.slow

# The by-hand recipe of docs/auditing.md for one compiled SQL file.
SHELL_SQL_HASH = (
    "sed -E 's/\"([^\"]|\"\")*\"\\.\"([^\"]|\"\")*\"\\.(\"([^\"]|\"\")*\")/\\3/g' \"$1\" "
    "| tr -s ' \\t\\n\\r\\f\\v' ' ' | sed -E 's/^ //; s/ $//' | tr -d '\\n' | sha256sum | cut -d' ' -f1"
)


@pytest.fixture(scope="module")
def catalog(demo_build, tmp_path_factory):
    """The catalog exported from the demo build, as (export, JSON document)."""
    output = tmp_path_factory.mktemp("catalog")
    export = export_catalog(demo_build.database, demo_build.target_path, output)
    return export, json.loads(export.json_path.read_text(encoding="utf-8"))


def test_export_covers_every_listed_metric(demo_build, catalog):
    export, document = catalog
    manifest = load_manifest(demo_build.target_path)
    listed = {(m.metric_name, int(m.metric_version)) for m in compute_hashes(manifest).metrics}
    exported = {(row["metric_name"], row["metric_version"]) for row in document["metrics"]}
    assert exported == listed
    assert export.metric_count == len(listed)
    assert export.markdown_path.name == MARKDOWN_FILE


def test_export_rows_all_hashed(catalog):
    _, document = catalog
    statuses = {row["hash_status"] for row in document["metrics"]}
    assert statuses == {"computed"}
    undefined = [row["metric_name"] for row in document["metrics"] if not row["definition"]]
    assert undefined == []


def test_relation_matches_export(demo_build, catalog):
    _, document = catalog
    rows = demo_build.query(
        "select metric_name, metric_version, definition_sha256, compiled_sql_sha256, upstream_sql_sha256 "
        "from metric_definitions order by metric_name, metric_version"
    )
    exported = [
        (r["metric_name"], r["metric_version"], r["definition_sha256"], r["compiled_sql_sha256"],
         r["upstream_sql_sha256"])
        for r in document["metrics"]
    ]
    assert rows == exported


def test_export_twice_is_byte_identical(demo_build, catalog, tmp_path):
    export, _ = catalog
    again = export_catalog(demo_build.database, demo_build.target_path, tmp_path)
    assert again.json_path.read_bytes() == export.json_path.read_bytes()
    assert again.markdown_path.read_bytes() == export.markdown_path.read_bytes()


def test_definition_hash_recomputable(catalog):
    _, document = catalog
    for row in document["metrics"]:
        digest = hashlib.sha256(row["definition_text"].encode("utf-8")).hexdigest()
        assert digest == row["definition_sha256"], row["metric_name"]


def test_compiled_sql_hash_recomputable_by_shell(demo_build, catalog):
    _, document = catalog
    row = next(r for r in document["metrics"] if r["metric_name"] == "feedback_acceptance_rate")
    compiled = demo_build.target_path / "compiled" / "gtm_metrics" / "models" / "marts" / "feedback" / "metrics_feedback.sql"
    digest = subprocess.run(
        ["bash", "-c", SHELL_SQL_HASH, "hash", str(compiled)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert digest == row["compiled_sql_sha256"]


def test_upstream_hash_recomputable_from_export(catalog):
    _, document = catalog
    for unique_id, model in document["models"].items():
        lines = "\n".join(f"{entry['unique_id']} {entry['sha256']}" for entry in model["upstream"])
        assert hashlib.sha256(lines.encode("utf-8")).hexdigest() == model["upstream_sql_sha256"], unique_id


def test_two_compiles_give_same_hashes(tmp_path):
    """Two database files (so two database names in every relation) and two
    target folders compile the same code to the same hashes."""
    manifests = []
    for name in ("first_copy", "second_copy"):
        database = tmp_path / f"{name}.duckdb"
        load_folder_to_duckdb(PROJECT / "demo_data", database)
        run_dbt(["compile"], database=database, target_path=tmp_path / name)
        manifests.append(load_manifest(tmp_path / name))
    assert compute_hashes(manifests[1]) == compute_hashes(manifests[0])


def test_every_definition_has_rows_in_metrics(demo_build):
    missing = demo_build.query(
        "select d.metric_name, d.metric_version from metric_definitions as d "
        "where not exists (select 1 from metrics as m "
        "where m.metric_name = d.metric_name and m.metric_version = d.metric_version)"
    )
    assert missing == []


def test_mql_diff_on_demo_data(demo_build, catalog, tmp_path):
    comparison = diff_metric_versions(
        "new_mqls", 1, 2, grain="month", database=demo_build.database, target_path=tmp_path / "target"
    )
    changed = {field.field_name for field in comparison.changed_fields}
    assert {"time_dimension", "status", "definition_sha256", "definition"} <= changed
    assert comparison.periods
    for row in comparison.periods:
        if row["from_value"] is not None and row["to_value"] is not None:
            assert row["difference"] == pytest.approx(row["to_value"] - row["from_value"])
    from_total = sum(row["from_value"] or 0 for row in comparison.periods)
    to_total = sum(row["to_value"] or 0 for row in comparison.periods)
    assert to_total <= from_total
    report = comparison.render()
    assert "time_dimension:" in report
    assert "values by month (all)" in report


def test_diff_rejects_unknown_version(demo_build, tmp_path):
    with pytest.raises(MetricVersionNotFoundError, match="versions found: 1, 2"):
        diff_metric_versions("new_mqls", 1, 3, database=demo_build.database, target_path=tmp_path / "target")


def test_cli_catalog_and_diff(demo_build, catalog, tmp_path, capsys):
    code = main([
        "catalog", "--database", str(demo_build.database), "--target-path", str(demo_build.target_path),
        "--output-dir", str(tmp_path),
    ])
    assert code == 0
    assert (tmp_path / JSON_FILE).exists()
    code = main([
        "diff", "new_mqls", "--grain", "quarter", "--database", str(demo_build.database),
        "--target-path", str(tmp_path / "target"),
    ])
    assert code == 0
    assert "new_mqls: version 1 against version 2" in capsys.readouterr().out


def test_cli_diff_unknown_metric_exits_2(demo_build, tmp_path, capsys):
    code = main([
        "diff", "no_such_metric", "--database", str(demo_build.database), "--target-path", str(tmp_path),
    ])
    assert code == 2
    assert "no_such_metric" in capsys.readouterr().err
