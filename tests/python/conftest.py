"""Shared fixtures: throwaway DuckDB builds of the dbt project and a
throwaway PostgreSQL server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from gtm_metrics.contract import project_dir
from gtm_metrics.dbt_runner import DbtOutcome, run_dbt
from gtm_metrics.loader import load_folder_to_duckdb

PROJECT = project_dir()
DATA = Path(__file__).parent / "data"


@dataclass
class Build:
    """A database loaded from one input folder and built with dbt."""

    database: Path
    target_path: Path
    outcome: DbtOutcome

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database)) as connection:
            return connection.execute(sql, params or []).fetchall()

    def frame(self, sql: str):
        with duckdb.connect(str(self.database)) as connection:
            return connection.execute(sql).df()


def build_folder(
    folder: Path, workdir: Path, select: str | None = None, extra_args: list[str] | None = None
) -> Build:
    """Load `folder` into a new DuckDB file under `workdir` and run dbt build."""
    database = workdir / "gtm.duckdb"
    target_path = workdir / "target"
    load_folder_to_duckdb(folder, database)
    args = ["build"]
    if select:
        # Cautious: a test that also reads models outside the selection is
        # left out instead of failing on a relation that was never built.
        args += ["--select", select, "--indirect-selection", "cautious"]
    args += extra_args or []
    outcome = run_dbt(args, database=database, target_path=target_path, raise_on_failure=False)
    return Build(database=database, target_path=target_path, outcome=outcome)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Build:
    """The shipped demo data, built and tested once per session."""
    build = build_folder(PROJECT / "demo_data", tmp_path_factory.mktemp("demo"))
    return build


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory) -> Build:
    """The tiny bad-input fixture under tests/python/data/tiny, staging only."""
    return build_folder(DATA / "tiny", tmp_path_factory.mktemp("tiny"), select="+path:models/staging")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    pytest.fail(
        f"PostgreSQL's {name} was not found. Install the server (Debian: apt-get install postgresql) "
        "or run scripts/test.sh, which installs it."
    )


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """Start a throwaway PostgreSQL server on 127.0.0.1 and yield its
    connection settings; the server and its files are removed afterwards."""
    # pytest's own temp folders are private to their owner, so the cluster
    # lives in a folder of its own that the postgres user can enter.
    root = Path(tempfile.mkdtemp(prefix="gtm-postgres-"))
    data_dir = root / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root, so the cluster belongs to postgres.
        shutil.chown(root, user="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*run_as, _postgres_binary("initdb"), "-D", str(data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8",
         "--no-locale"],
        check=True,
        capture_output=True,
        text=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c fsync=off -c unix_socket_directories={root}"
    subprocess.run(
        [*run_as, _postgres_binary("pg_ctl"), "-D", str(data_dir), "-o", options, "-l", str(root / "server.log"),
         "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        import psycopg2

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres").close()
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("create database gtm_metrics")
        connection.close()
        yield {"host": "127.0.0.1", "port": port, "user": "postgres", "dbname": "gtm_metrics"}
    finally:
        subprocess.run([*run_as, _postgres_binary("pg_ctl"), "-D", str(data_dir), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
