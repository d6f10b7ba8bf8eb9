"""Mapping files: what a valid mapping looks like, the errors an invalid one
gives, and the four shipped mappings of real public datasets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gtm_metrics.contract import load_contract, project_dir
from gtm_metrics.mapping import MappingError, load_mapping, resolve_mapping_path, shipped_mapping_names

SHIPPED = ["maven_crm_sales_opportunities", "olist_marketing_funnel", "ravenstack_saas", "xeducation_lead_scoring"]

MINIMAL = """
mapping_version: 1
name: minimal
files:
  leads: {path: leads.csv}
tables:
  leads:
    from: leads
    columns:
      lead_id: Id
      created_at: Created
"""


def write_mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_minimal_mapping_loads(tmp_path):
    mapping = load_mapping(write_mapping(tmp_path, MINIMAL))
    assert mapping.name == "minimal"
    assert [feed.table for feed in mapping.feeds] == ["leads"]
    assert {column.name: column.column for column in mapping.feeds[0].columns} == {
        "lead_id": "Id",
        "created_at": "Created",
    }


def test_yaml_scalars_stay_text(tmp_path):
    text = MINIMAL.replace(
        "      created_at: Created",
        "      created_at: Created\n      is_deleted:\n        column: Gone\n        values: {Yes: 'true', No: 'false', 01: 'true'}",
    )
    column = load_mapping(write_mapping(tmp_path, text)).feeds[0].columns[-1]
    assert column.values == {"Yes": "true", "No": "false", "01": "true"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("mapping_version: 1", "mapping_version: 2"), "mapping_version: expected 1"),
        (("name: minimal", "name: minimal\ncolour: blue"), "unknown key"),
        (("  leads:\n    from", "  prospects:\n    from"), "'prospects' is not a contract table"),
        (("      lead_id: Id", "      lead_key: Id"), "'lead_key' is not a column of contract table leads"),
        (("      created_at: Created\n", ""), "required contract column(s) created_at are not mapped"),
        (("    from: leads", "    from: people"), "'people' is not declared under files"),
        (("  leads: {path: leads.csv}", "  leads: {path: leads.csv, encoding: klingon}"), "unknown encoding"),
        (("  leads: {path: leads.csv}", "  leads: {path: leads.csv, delimiter: ';;'}"), "expected one character"),
        (("  leads: {path: leads.csv}", "  leads: {path: leads.csv, timezone: Mars/Olympus}"), "unknown time zone"),
        (("  leads: {path: leads.csv}", "  leads: {path: leads.csv, date_formats: [dd/mm/yyyy]}"), "is not a format"),
        (("      lead_id: Id", "      lead_id: {column: Id, constant: x}"), "exactly one of"),
        (("      lead_id: Id", "      lead_id: {column: Id, unmapped: quarantine}"), "unmapped needs a values map"),
    ],
)
def test_invalid_mapping_names_the_key(tmp_path, change, message):
    old, new = change
    assert old in MINIMAL
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_mapping(write_mapping(tmp_path, MINIMAL.replace(old, new)))


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("reporting_timezone: \"UTC'; drop table raw.leads; --\"", "invalid time zone"),
        ("reporting_currency: \"US'D\"", "invalid currency code"),
        ("reporting_currency: usd", "invalid currency code"),
        ("as_of_date: \"2024-02-30\"", "invalid date"),
        ("as_of_date: \"2024-01-01'); --\"", "invalid date"),
    ],
)
def test_settings_are_checked_as_data(tmp_path, setting, message):
    text = MINIMAL.replace("name: minimal", f"name: minimal\nsettings:\n  {setting}")
    with pytest.raises(MappingError, match=message):
        load_mapping(write_mapping(tmp_path, text))


def test_invalid_yaml_is_reported(tmp_path):
    with pytest.raises(MappingError, match="invalid YAML"):
        load_mapping(write_mapping(tmp_path, "name: [unclosed\n"))


def test_unknown_mapping_name_lists_shipped_ones():
    with pytest.raises(MappingError, match="olist_marketing_funnel"):
        resolve_mapping_path("no_such_mapping")


def test_shipped_mappings_are_listed():
    assert shipped_mapping_names() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_mapping_declares_every_table(name):
    contract = load_contract()
    mapping = load_mapping(resolve_mapping_path(name), contract)
    assert mapping.tables_not_declared(contract) == []
    assert mapping.rules, f"{name} documents no rule for its quirks"
    assert mapping.path == project_dir() / "mappings" / f"{name}.yml"


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_mapping_settings_are_complete(name):
    settings = load_mapping(resolve_mapping_path(name)).settings
    assert settings.reporting_timezone
    assert settings.reporting_currency
