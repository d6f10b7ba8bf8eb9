"""The catalog export on PostgreSQL: the same commands, through dbt, on
another adapter."""

from __future__ import annotations

import json

import pytest

from gtm_metrics.catalog import compute_hashes, export_catalog, load_manifest
from gtm_metrics.dbt_runner import run_dbt
from gtm_metrics.loader import load_folder_to_postgres

from conftest import DATA

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def postgres_catalog(postgres_server, tmp_path_factory, request):
    environment = {
        "GTM_TARGET": "postgres",
        "GTM_PG_HOST": postgres_server["host"],
        "GTM_PG_PORT": str(postgres_server["port"]),
        "GTM_PG_USER": postgres_server["user"],
        "GTM_PG_DBNAME": postgres_server["dbname"],
    }
    patch = pytest.MonkeyPatch()
    request.addfinalizer(patch.undo)
    for key, value in environment.items():
        patch.setenv(key, value)
    load_folder_to_postgres(DATA / "tiny", postgres_server)
    target = tmp_path_factory.mktemp("pg_catalog_target")
    outcome = run_dbt(["build"], target_path=target, raise_on_failure=False)
    export = export_catalog(None, target, tmp_path_factory.mktemp("pg_catalog"))
    return outcome, target, json.loads(export.json_path.read_text(encoding="utf-8"))


def test_catalog_exports_on_postgres(postgres_catalog):
    outcome, target, document = postgres_catalog
    assert outcome.failures == []
    expected = {(m.metric_name, int(m.metric_version)) for m in compute_hashes(load_manifest(target)).metrics}
    assert {(row["metric_name"], row["metric_version"]) for row in document["metrics"]} == expected
    assert {row["hash_status"] for row in document["metrics"]} == {"computed"}
