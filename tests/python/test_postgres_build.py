"""The same dbt project builds and passes its tests on PostgreSQL, so the
SQL stays portable beyond DuckDB."""

from __future__ import annotations

import pytest

from gtm_metrics.dbt_runner import run_dbt
from gtm_metrics.loader import load_folder_to_postgres

from conftest import DATA, PROJECT

pytestmark = pytest.mark.postgres


def postgres_env(server: dict) -> dict[str, str]:
    return {
        "GTM_TARGET": "postgres",
        "GTM_PG_HOST": server["host"],
        "GTM_PG_PORT": str(server["port"]),
        "GTM_PG_USER": server["user"],
        "GTM_PG_DBNAME": server["dbname"],
    }


@pytest.fixture(scope="module")
def postgres_demo_build(postgres_server, tmp_path_factory):
    load_folder_to_postgres(DATA / "tiny", postgres_server)
    return run_dbt(
        ["build"],
        target_path=tmp_path_factory.mktemp("pg_target"),
        raise_on_failure=False,
        extra_env=postgres_env(postgres_server),
    )


def test_demo_builds_on_postgres(postgres_demo_build):
    assert postgres_demo_build.success, "\n".join(postgres_demo_build.failures)
    assert postgres_demo_build.errored == 0
    assert postgres_demo_build.failed == 0


def test_staging_reconciles_on_postgres(postgres_server, postgres_demo_build):
    import psycopg2

    with psycopg2.connect(**postgres_server) as connection, connection.cursor() as cursor:
        cursor.execute("select source_table, rows_read, rows_used, rows_quarantined from analytics.stg_gtm__row_counts")
        rows = cursor.fetchall()
    assert rows, "stg_gtm__row_counts is empty"
    for table, read, used, quarantined in rows:
        assert read == used + quarantined, table


def test_offset_timestamp_same_instant_on_postgres(postgres_server, tmp_path_factory):
    """A value with an offset converts to the same UTC instant on PostgreSQL
    as on DuckDB, whatever the session time zone."""
    import psycopg2

    server = dict(postgres_server)
    connection = psycopg2.connect(**server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("create database gtm_tiny")
    connection.close()
    server["dbname"] = "gtm_tiny"
    load_folder_to_postgres(DATA / "tiny", server)
    environment = postgres_env(server) | {"PGTZ": "Asia/Tokyo"}
    outcome = run_dbt(
        ["build", "--select", "+path:models/staging", "--indirect-selection", "cautious"],
        target_path=tmp_path_factory.mktemp("pg_tiny_target"),
        raise_on_failure=False,
        extra_env=environment,
    )
    assert outcome.success, outcome.failures
    with psycopg2.connect(**server, options="-c timezone=Asia/Tokyo") as connection, connection.cursor() as cursor:
        cursor.execute("select cast(created_at as text) from analytics.stg_gtm__leads where lead_id = '00123'")
        assert cursor.fetchall() == [("2024-06-30 23:30:00",)]
