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


TYPE_RULES = {
    "text": "text; trimmed, empty becomes null",
    "currency": "ISO 4217 code; upper-cased; must be in seeds/gtm_currencies.csv",
    "money": "decimal(38,4) in major units, plain digits such as 1200.50",
    "decimal": "decimal(18,6), plain digits such as 0.25",
    "rate": "decimal(38,12), plain digits such as 1.0845",
    "integer": "whole number",
    "boolean": "true/false, t/f, yes/no, y/n, 1/0 (any case)",
    "date": "YYYY-MM-DD",
    "timestamp": "ISO 8601; an offset converts to UTC, no offset means UTC",
}


def contract_markdown(root: Path | None = None) -> str:
    """Render the input contract as Markdown, from the sources file."""
    path = (root or project_dir()) / SOURCES_FILE
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = next(s for s in document["sources"] if s["name"] == "gtm")
    lines = [
        "# Input contract",
        "",
        "Generated from `models/staging/gtm/_gtm__sources.yml` by "
        "`python -m gtm_metrics.contract > docs/input-contract.md`; edit the YAML, not this page.",
        "",
        "Provide one file per table (`<table>.csv` or `<table>.parquet`) in a folder and run "
        "`gtm-metrics run FOLDER`, or point the variables `gtm_source_database` and "
        "`gtm_source_schema` at warehouse tables with these names and columns. A table you do not "
        "have may be left out: it loads as empty and the metrics that need it are empty.",
        "",
        "Rule for bad values: a row with a missing required value, a value that does not parse as "
        "its type, a value outside its allowed list or range, an unknown currency or a duplicate "
        "primary key is not used; it is kept in `stg_gtm__quarantine` with a reason that names the "
        "column and the value, and `stg_gtm__row_counts` shows rows read = rows used + rows "
        "quarantined for every table. Exact duplicate rows keep one copy. A file without a required "
        "column is rejected before loading, with the file and column named.",
        "",
    ]
    for table in source["tables"]:
        lines += [f"## {table['name']}", "", table.get("description", ""), "",
                  f"Primary key: `{table['meta']['primary_key']}`.", "",
                  "| column | type and rule | required | meaning |", "|---|---|---|---|"]
        for column in table["columns"]:
            meta = column.get("meta", {})
            rule = TYPE_RULES[meta.get("type", "text")]
            if meta.get("values"):
                rule += "; one of " + ", ".join(meta["values"]) + " (lower-cased)"
            elif meta.get("lowercase"):
                rule += "; lower-cased"
            if "min" in meta and "max" in meta:
                rule += f"; between {meta['min']} and {meta['max']}"
            elif "min" in meta:
                rule += f"; at least {meta['min']}"
            elif "max" in meta:
                rule += f"; at most {meta['max']}"
            if meta.get("sensitive"):
                rule += "; personal data, never published unhashed"
            required = "yes" if meta.get("required") else "no"
            lines.append(f"| `{column['name']}` | {rule} | {required} | {column.get('description', '')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(contract_markdown(), end="")
