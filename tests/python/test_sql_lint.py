"""Every SQL file dbt reads passes sqlfluff with the project's .sqlfluff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gtm_metrics.loader import load_folder_to_duckdb

from conftest import PROJECT


def test_sqlfluff_lint_is_clean(tmp_path):
    # The dbt templater compiles the project, and staging reads the raw
    # tables' columns while compiling, so it needs a loaded database.
    database = tmp_path / "lint.duckdb"
    load_folder_to_duckdb(PROJECT / "demo_data", database)
    environment = os.environ | {
        "GTM_DUCKDB_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    paths = [name for name in ("models", "tests/dbt", "analyses") if any((PROJECT / name).rglob("*.sql"))]
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "sqlfluff"), "lint", *paths, "--format", "github-annotation-native"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    annotations = [line for line in completed.stdout.splitlines() if line.startswith("::")]
    assert annotations == [], "sqlfluff found violations:\n" + "\n".join(annotations)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
