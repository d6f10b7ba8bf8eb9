"""Read the input contract from the dbt sources file.

The contract is written once, in models/staging/gtm/_gtm__sources.yml, and
both the dbt staging layer and the file loader read it from there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SOURCES_FILE = Path("models/staging/gtm/_gtm__sources.yml")


def project_dir() -> Path:
    """Return the dbt project directory: $GTM_PROJECT_DIR, else the checkout
    this package was installed from in editable mode."""
    configured = os.environ.get("GTM_PROJECT_DIR")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ContractColumn:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class ContractTable:
    name: str
    primary_key: str
    columns: tuple[ContractColumn, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


@lru_cache(maxsize=4)
def load_contract(root: Path | None = None) -> dict[str, ContractTable]:
    """Parse the sources file into ContractTable objects keyed by table name."""
    path = (root or project_dir()) / SOURCES_FILE
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = next(s for s in document["sources"] if s["name"] == "gtm")
    tables: dict[str, ContractTable] = {}
    for table in source["tables"]:
        columns = tuple(
            ContractColumn(
                name=column["name"],
                type=column.get("meta", {}).get("type", "text"),
                required=bool(column.get("meta", {}).get("required", False)),
                description=column.get("description", ""),
            )
            for column in table["columns"]
        )
        tables[table["name"]] = ContractTable(
            name=table["name"], primary_key=table["meta"]["primary_key"], columns=columns
        )
    return tables
