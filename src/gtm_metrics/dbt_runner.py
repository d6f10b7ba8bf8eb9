"""Run dbt in-process on the project, with one database file per call site.

dbt reads the DuckDB path from the environment variable GTM_DUCKDB_PATH
(see profiles.yml), so this module sets it before each invocation.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from gtm_metrics.contract import project_dir
from gtm_metrics.errors import ChecksFailedError, DbtInvocationError

logger = logging.getLogger(__name__)

# dbt's own anonymous usage statistics, switched off for every invocation.
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@dataclass
class DbtOutcome:
    """Summary of one dbt command: node statuses counted by kind."""

    command: list[str]
    success: bool
    passed: int
    warned: int
    failed: int
    errored: int
    skipped: int
    failures: list[str]


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    previous = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(
    args: list[str],
    database: Path | None = None,
    target_path: Path | None = None,
    project: Path | None = None,
    raise_on_failure: bool = True,
    extra_env: dict[str, str] | None = None,
) -> DbtOutcome:
    """Invoke `dbt <args>` on the project and return its outcome.

    Raises DbtInvocationError when dbt could not run at all (parse or
    database error) and, with raise_on_failure, ChecksFailedError when a
    model, test or seed failed."""
    from dbt.cli.main import dbtRunner

    project = project or project_dir()
    target_path = target_path or project / "target"
    command = [
        *args,
        "--project-dir", str(project),
        "--profiles-dir", str(project),
        "--target-path", str(target_path),
        "--log-path", str(target_path / "logs"),
    ]
    environment = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    if database is not None:
        environment["GTM_DUCKDB_PATH"] = str(Path(database).resolve())
    environment.update(extra_env or {})
    logger.info("dbt %s", " ".join(args))
    with _environment(environment):
        result = dbtRunner().invoke(command)

    if result.exception is not None:
        raise DbtInvocationError(f"dbt {' '.join(args)} failed to run: {result.exception}") from result.exception

    counts = {"pass": 0, "success": 0, "warn": 0, "fail": 0, "error": 0, "skipped": 0}
    failures = []
    nodes = getattr(result.result, "results", None) or []
    for node_result in nodes:
        status = str(node_result.status).lower().split(".")[-1]
        counts[status] = counts.get(status, 0) + 1
        if status in ("fail", "error"):
            failures.append(f"{node_result.node.name}: {node_result.message}")
    outcome = DbtOutcome(
        command=args,
        success=bool(result.success),
        passed=counts["pass"] + counts["success"],
        warned=counts["warn"],
        failed=counts["fail"],
        errored=counts["error"],
        skipped=counts["skipped"],
        failures=failures,
    )
    if raise_on_failure and not outcome.success:
        detail = "\n  ".join(failures) or "see the dbt log"
        raise ChecksFailedError(f"dbt {' '.join(args)} reported failures:\n  {detail}")
    return outcome
