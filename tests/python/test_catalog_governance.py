"""Governance rules every model of the project follows, read from dbt's
manifest and checked on the demo build:

- a model belongs to an owner group and has an access level;
- a public model (what BI tools and other dbt projects may read) has an
  enforced contract, and every column has a type and a description;
- personal data never reaches a public model. No text column of a public
  model is named like personal data or like a column marked meta.sensitive,
  and no text value of a public model equals an email or name from the
  input.
"""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.slow

# Column names that hold personal data unless hashed (a name containing
# "hash" is allowed, for example email_sha256_hash).
PERSONAL_COLUMN = re.compile(r"(^|_)(e_?mail|first_name|last_name|full_name|phone|name_of_person)(_|$)")
ACCESS_LEVELS = {"private", "protected", "public"}
TEXT_TYPES = {"VARCHAR", "TEXT", "JSON", "BLOB"}


@pytest.fixture(scope="module")
def manifest(demo_build) -> dict:
    return json.loads((demo_build.target_path / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def project_models(manifest) -> list[dict]:
    return [
        node for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == manifest["metadata"]["project_name"]
    ]


@pytest.fixture(scope="module")
def public_models(project_models) -> list[dict]:
    return [node for node in project_models if node.get("access") == "public"]


def sensitive_column_names(manifest: dict) -> set[str]:
    """Return the names of source and model columns marked meta.sensitive."""
    names = set()
    for node in [*manifest["sources"].values(), *manifest["nodes"].values()]:
        for column in node.get("columns", {}).values():
            meta = {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}
            if meta.get("sensitive"):
                names.add(column["name"].lower())
    return names


def test_public_models_exist(public_models):
    names = {node["name"] for node in public_models}
    assert {"metrics", "metric_definitions", "fct_lead_handoffs"} <= names


def test_every_model_has_group(project_models):
    without_group = sorted(node["name"] for node in project_models if not node.get("group"))
    assert without_group == []


def test_every_model_has_access_level(project_models):
    unknown = sorted(node["name"] for node in project_models if node.get("access") not in ACCESS_LEVELS)
    assert unknown == []


def test_public_models_enforce_contracts(public_models):
    uncontracted = sorted(
        node["name"] for node in public_models if not node["config"].get("contract", {}).get("enforced")
    )
    assert uncontracted == []


def test_public_columns_typed_and_described(public_models):
    incomplete = sorted(
        f"{node['name']}.{column['name']}"
        for node in public_models
        for column in node["columns"].values()
        if not column.get("data_type") or not column.get("description", "").strip()
    )
    assert incomplete == []


def test_public_models_describe_their_grain(public_models):
    undescribed = sorted(node["name"] for node in public_models if not node.get("description", "").strip())
    assert undescribed == []


def test_sensitive_columns_are_marked(manifest):
    names = sensitive_column_names(manifest)
    assert {"email", "first_name", "last_name"} <= names


def public_relation_columns(demo_build, node: dict) -> list[tuple[str, str]]:
    """Return (column, type) of the public model's relation in the demo database."""
    return demo_build.query(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [node["schema"], node["alias"]],
    )


def test_no_personal_column_names_in_public_models(demo_build, manifest, public_models):
    sensitive = sensitive_column_names(manifest)
    offending = []
    for node in public_models:
        for name, data_type in public_relation_columns(demo_build, node):
            name = name.lower()
            # A flag or count about personal data (has_email) contains none.
            if "hash" in name or data_type.upper() not in TEXT_TYPES:
                continue
            if PERSONAL_COLUMN.search(name) or name in sensitive:
                offending.append(f"{node['name']}.{name}")
    assert offending == []


def test_no_personal_values_in_public_models(demo_build, public_models):
    """No text value of a public model equals, ignoring case and spaces, an
    email, first name or last name of at least 3 characters from the raw
    leads input."""
    personal_values = (
        "select lower(trim(email)) as personal_value from raw.leads "
        "union select lower(trim(first_name)) from raw.leads "
        "union select lower(trim(last_name)) from raw.leads"
    )
    checked = demo_build.query(
        f"select count(*) from ({personal_values}) as personal where length(personal_value) >= 3"
    )[0][0]
    assert checked > 0

    leaks = []
    for node in public_models:
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        for name, data_type in public_relation_columns(demo_build, node):
            if data_type.upper() not in TEXT_TYPES:
                continue
            found = demo_build.query(
                f'select count(*) from {relation} where lower(trim("{name}")) in '
                f"(select personal_value from ({personal_values}) as personal "
                "where length(personal_value) >= 3)"
            )[0][0]
            if found:
                leaks.append(f"{node['name']}.{name}: {found} rows")
    assert leaks == []
