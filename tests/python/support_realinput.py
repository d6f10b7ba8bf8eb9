"""Helpers for the tests that read the shared public datasets.

The datasets stay outside the repository. They are read in place from
$GTM_SHARED_DATASETS, else from ../shared/datasets next to the project. A
run without them fails when CI=true and is skipped with the reason
otherwise, so it can never pass silently in CI.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from gtm_metrics.contract import project_dir
from gtm_metrics.dbt_runner import DbtOutcome
from gtm_metrics.mapping import load_mapping, resolve_mapping_path
from gtm_metrics.workflow import build_project, load_input


def shared_datasets_folder() -> Path:
    configured = os.environ.get("GTM_SHARED_DATASETS")
    if configured:
        return Path(configured)
    return project_dir().parent / "shared" / "datasets"


def shared_dataset(name: str) -> Path:
    """Return the folder of dataset `name`; fail in CI and skip elsewhere
    when it is missing."""
    folder = shared_datasets_folder() / name
    if folder.is_dir():
        return folder
    message = (
        f"dataset folder {folder} not found: the real-data tests need the shared public datasets. "
        "Set GTM_SHARED_DATASETS to the folder that holds them."
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class DatasetBuild:
    """One shared dataset mapped, loaded and built into its own DuckDB file."""

    name: str
    folder: Path
    database: Path
    output_dir: Path
    outcome: DbtOutcome
    summaries: list

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()

    def metric(
        self, name: str, version: int = 1, grain: str = "month", dimension: str = "all"
    ) -> dict[tuple, float | None]:
        """Values of one metric from the project's `metrics` table, keyed by
        (period_start as YYYY-MM-DD, dimension_value)."""
        rows = self.query(
            "select cast(period_start as varchar), dimension_value, value from main.metrics "
            "where metric_name = ? and metric_version = ? and grain = ? and dimension_name = ?",
            [name, version, grain, dimension],
        )
        assert rows, f"the metrics table has no rows for {name} v{version}, grain {grain}, dimension {dimension}"
        return {(period, value_of_dimension): value for period, value_of_dimension, value in rows}


def build_dataset(name: str, workdir: Path) -> DatasetBuild:
    """Map, load and build shared dataset `name` with its shipped mapping.

    dbt's unit tests are left out: they check definitions on their own
    fixtures, whatever the input, and tests/python/test_demo_build.py runs
    them. Every model and data test runs."""
    folder = shared_dataset(name)
    mapping = load_mapping(resolve_mapping_path(name))
    database = workdir / "gtm.duckdb"
    output_dir = workdir / "output"
    loaded = load_input(folder, database, output_dir, mapping)
    outcome = build_project(
        database,
        workdir / "target",
        mapping.settings.dbt_vars(),
        extra_args=["--exclude-resource-type", "unit_test"],
    )
    return DatasetBuild(name, folder, database, output_dir, outcome, loaded.summaries)


def month_of(dates: pd.Series) -> pd.Series:
    """First day of the month of each YYYY-MM-DD text, as YYYY-MM-DD."""
    return dates.str.slice(0, 7) + "-01"


def compare(expected: dict, actual: dict, tolerance: float = 1e-6, zero_elsewhere: bool = True) -> list[str]:
    """Differences between an independent computation and the project's
    values, both keyed by (period, dimension value). A key only the project
    has must be 0 or null when zero_elsewhere is set."""
    problems = []
    for key, value in sorted(expected.items()):
        if key not in actual:
            problems.append(f"{key}: expected {value}, the project has no row")
            continue
        found = actual[key]
        if value is None or found is None:
            if value != found:
                problems.append(f"{key}: expected {value}, project {found}")
        elif not math.isclose(found, value, rel_tol=tolerance, abs_tol=tolerance):
            problems.append(f"{key}: expected {value}, project {found}")
    if zero_elsewhere:
        for key, found in sorted(actual.items()):
            if key not in expected and found not in (None, 0) and not (isinstance(found, float) and math.isnan(found)):
                problems.append(f"{key}: expected 0 or no value, project {found}")
    return problems
