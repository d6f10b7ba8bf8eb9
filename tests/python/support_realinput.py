"""Helpers for the tests that read the shared public datasets.

The datasets stay outside the repository. They are read in place from
$GTM_SHARED_DATASETS, else from ../shared/datasets next to the project. A
run without them fails when CI=true and is skipped with the reason
otherwise, so it can never pass silently in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gtm_metrics.contract import project_dir


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
