"""Where the real-data tests find the shared datasets, and what happens when
they are missing: a failure in CI, a skip with the reason elsewhere."""

from __future__ import annotations

import pytest

from support_realinput import shared_dataset, shared_datasets_folder

DATASETS = [
    "olist_marketing_funnel",
    "maven_crm_sales_opportunities",
    "xeducation_lead_scoring",
    "ravenstack_saas",
    "fivetran_salesforce_seeds",
    "fivetran_hubspot_seeds",
]


def test_environment_variable_sets_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("GTM_SHARED_DATASETS", str(tmp_path))
    assert shared_datasets_folder() == tmp_path


def test_missing_dataset_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("GTM_SHARED_DATASETS", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="GTM_SHARED_DATASETS"):
        shared_dataset("olist_marketing_funnel")


def test_missing_dataset_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("GTM_SHARED_DATASETS", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not found"):
        shared_dataset("olist_marketing_funnel")


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_is_present(name):
    assert (shared_dataset(name) / "PROVENANCE.md").is_file()
