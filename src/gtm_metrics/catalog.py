"""Hash the metric definitions of a dbt build and export the catalog.

dbt's Jinja context has neither docs blocks nor the compiled SQL of other
models, so this module computes what the `metric_definitions` model cannot.
From target/manifest.json of a build it takes each metric's docs block text
and computes three SHA-256 hashes (lower-case hex):

definition_sha256
    of the metric's definition text (see `definition_text`), encoded as UTF-8.
compiled_sql_sha256
    of the computing model's compiled SQL after `normalize_sql`.
upstream_sql_sha256
    of the lines "<unique_id> <sha256>", sorted and joined by line feeds,
    for the computing model and every model and seed it reads directly or
    not: compiled_sql_sha256 for a model or snapshot, the manifest's file
    checksum for a seed.

`export_catalog` hands the results to dbt as var catalog_hashes, rebuilds
`metric_definitions` with them, reads the relation back and writes it as
JSON and Markdown. Nothing here computes a metric value.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from gtm_metrics.contract import project_dir
from gtm_metrics.errors import ChecksFailedError, InputError

logger = logging.getLogger(__name__)

JSON_FILE = "metric_catalog.json"
MARKDOWN_FILE = "metric_catalog.md"
FORMAT_VERSION = 1

# A quoted three-part relation name, "database"."schema"."identifier"; a
# doubled quote inside a part is an escaped quote.
RELATION_NAME = re.compile(r'"(?:[^"]|"")*"\."(?:[^"]|"")*"\.("(?:[^"]|"")*")')
# ASCII whitespace only, so the rule is the same in Python, Jinja and `tr`.
WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")

# Fields of the definition text, in order; catalog_definition_fields() in
# macros/catalog/catalog_definition_text.sql lists the same fields.
DEFINITION_FIELDS = (
    "metric_name",
    "metric_version",
    "label",
    "unit",
    "numerator",
    "denominator",
    "filters",
    "time_dimension",
    "owner_group",
    "computed_by",
    "deprecation_date",
    "definition",
)

SQL_NORMALISATION = (
    "Each quoted three-part relation name \"database\".\"schema\".\"name\" is replaced by \"name\"; "
    "every run of ASCII whitespace (space, tab, line feed, carriage return, form feed, vertical tab) "
    "becomes one space; leading and trailing spaces are removed; the result is encoded as UTF-8."
)
DEFINITION_NORMALISATION = (
    "One 'field: value' line per field in the order " + ", ".join(DEFINITION_FIELDS) + ", joined by "
    "line feeds without a final one. A list value is joined by '; '; runs of ASCII whitespace become "
    "one space and the value is trimmed; an empty value leaves the line as 'field:'. The definition "
    "field is the docs block text. The text is encoded as UTF-8."
)


class CatalogInputError(InputError):
    """Raised when the build's artefacts cannot give the hashes: the manifest
    is missing, or a model behind a metric was not compiled."""


class CatalogError(ChecksFailedError):
    """Raised when dbt fails while rebuilding or reading metric_definitions,
    or when the relation disagrees with the hashes computed for it."""


@dataclass(frozen=True)
class ModelHash:
    """Hashes of one model that computes metrics."""

    unique_id: str
    name: str
    checksum: str
    compiled_sql_sha256: str
    upstream_sql_sha256: str
    upstream: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MetricHash:
    """Definition text and hash of one metric version."""

    metric_name: str
    metric_version: str
    definition: str | None
    definition_text: str
    definition_sha256: str


@dataclass(frozen=True)
class CatalogHashes:
    metrics: tuple[MetricHash, ...]
    models: tuple[ModelHash, ...]

    def as_var(self) -> dict[str, Any]:
        """Return the value of dbt var catalog_hashes that metric_definitions reads."""
        return {
            "metrics": {
                f"{metric.metric_name}|{metric.metric_version}": {
                    "definition": metric.definition,
                    "definition_text": metric.definition_text,
                    "definition_sha256": metric.definition_sha256,
                }
                for metric in self.metrics
            },
            "models": {
                model.unique_id: {
                    "checksum": model.checksum,
                    "compiled_sql_sha256": model.compiled_sql_sha256,
                    "upstream_sql_sha256": model.upstream_sql_sha256,
                }
                for model in self.models
            },
        }


@dataclass(frozen=True)
class CatalogExport:
    """Files written by export_catalog and the number of metric versions in them."""

    json_path: Path
    markdown_path: Path
    metric_count: int


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_whitespace(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip(" ")


def normalize_sql(compiled_sql: str) -> str:
    """Return compiled SQL in the form its hash is computed from (SQL_NORMALISATION).

    Dropping database and schema makes the hash independent of where the
    project is built (the DuckDB file name is the database name)."""
    return normalize_whitespace(RELATION_NAME.sub(r"\1", compiled_sql))


def text_value(value: Any) -> str | None:
    """Return the text form of one metric field, the rule of the Jinja macro
    catalog_text_value: a list joined by "; ", booleans as true/false,
    whitespace normalised, an empty result as None."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [part for part in (text_value(item) for item in value) if part is not None]
        text = "; ".join(parts)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    text = normalize_whitespace(text)
    return text or None


def definition_text(fields: dict[str, str | None], definition: str | None) -> str:
    """Return the text definition_sha256 is computed from (DEFINITION_NORMALISATION)."""
    lines = []
    for field in DEFINITION_FIELDS:
        value = text_value(definition) if field == "definition" else fields.get(field)
        lines.append(f"{field}:" if value is None else f"{field}: {value}")
    return "\n".join(lines)


def load_manifest(target_path: Path) -> dict[str, Any]:
    path = Path(target_path) / "manifest.json"
    if not path.exists():
        raise CatalogInputError(f"{path} was not found. Build the project first (gtm-metrics build, or dbt build).")
    return json.loads(path.read_text(encoding="utf-8"))


def metric_entries(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one dict per metric listed under config.meta.metrics of a model,
    with the fields of the Jinja macro catalog_metric_entries, sorted by
    metric_name and metric_version."""
    entries = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        meta = node.get("config", {}).get("meta") or node.get("meta") or {}
        for metric in meta.get("metrics") or []:
            entries.append(
                {
                    "metric_name": text_value(metric.get("name")),
                    "metric_version": text_value(metric.get("version", 1)),
                    "metric_version_number": int(metric.get("version", 1)),
                    "label": text_value(metric.get("label")),
                    "unit": text_value(metric.get("unit")),
                    "numerator": text_value(metric.get("numerator")),
                    "denominator": text_value(metric.get("denominator")),
                    "filters": text_value(metric.get("filters")),
                    "time_dimension": text_value(metric.get("time_dimension")),
                    "owner_group": text_value(metric.get("owner_group")),
                    "docs_block": text_value(metric.get("docs_block")),
                    "deprecation_date": text_value(metric.get("deprecation_date")),
                    "computed_by": node["name"],
                    "computed_by_unique_id": node["unique_id"],
                    "package_name": node["package_name"],
                }
            )
    return sorted(entries, key=lambda entry: (entry["metric_name"] or "", entry["metric_version_number"]))


def docs_block_text(manifest: dict[str, Any], name: str | None, package_name: str) -> str | None:
    """Return the text of docs block `name`, preferring the block of the
    computing model's own package; None when no block has that name."""
    if name is None:
        return None
    found = [doc for doc in manifest.get("docs", {}).values() if doc["name"] == name]
    found.sort(key=lambda doc: (doc["package_name"] != package_name, doc["unique_id"]))
    return found[0]["block_contents"] if found else None


def _ancestors(manifest: dict[str, Any], unique_id: str) -> set[str]:
    """Return unique_id and every model, snapshot and seed it reads, directly or not."""
    seen: set[str] = set()
    pending = [unique_id]
    while pending:
        current = pending.pop()
        if current in seen or current not in manifest["nodes"]:
            continue
        if manifest["nodes"][current]["resource_type"] not in ("model", "snapshot", "seed"):
            continue
        seen.add(current)
        pending.extend(manifest["nodes"][current].get("depends_on", {}).get("nodes", []))
    return seen


def _node_sha256(node: dict[str, Any]) -> str:
    if node["resource_type"] == "seed":
        return node["checksum"]["checksum"]
    compiled = node.get("compiled_code")
    if compiled is None:
        raise CatalogInputError(
            f"{node['unique_id']} has no compiled SQL in the manifest: the last build left it out (--select) "
            "or skipped it after an upstream failure. Fix the failure and run a full build "
            "(gtm-metrics build, or dbt build without --select) before exporting the catalog."
        )
    return sha256_hex(normalize_sql(compiled))


def model_hash(manifest: dict[str, Any], unique_id: str) -> ModelHash:
    node = manifest["nodes"][unique_id]
    upstream = tuple(sorted((ancestor, _node_sha256(manifest["nodes"][ancestor]))
                            for ancestor in _ancestors(manifest, unique_id)))
    upstream_text = "\n".join(f"{ancestor} {digest}" for ancestor, digest in upstream)
    return ModelHash(
        unique_id=unique_id,
        name=node["name"],
        checksum=node["checksum"]["checksum"],
        compiled_sql_sha256=_node_sha256(node),
        upstream_sql_sha256=sha256_hex(upstream_text),
        upstream=upstream,
    )


def compute_hashes(manifest: dict[str, Any]) -> CatalogHashes:
    """Compute the definition text and hashes of every metric in the manifest."""
    entries = metric_entries(manifest)
    metrics = []
    for entry in entries:
        definition = docs_block_text(manifest, entry["docs_block"], entry["package_name"])
        if definition is None:
            logger.warning(
                "metric %s version %s names docs block %r, which does not exist; its definition is empty",
                entry["metric_name"], entry["metric_version"], entry["docs_block"],
            )
        text = definition_text(entry, definition)
        metrics.append(
            MetricHash(
                metric_name=entry["metric_name"],
                metric_version=entry["metric_version"],
                definition=definition,
                definition_text=text,
                definition_sha256=sha256_hex(text),
            )
        )
    model_ids = sorted({entry["computed_by_unique_id"] for entry in entries})
    models = tuple(model_hash(manifest, unique_id) for unique_id in model_ids)
    return CatalogHashes(metrics=tuple(metrics), models=models)


def build_vars(target_path: Path) -> dict[str, Any]:
    """Return the --vars of the dbt command that wrote target_path, from its
    run_results.json (an empty dict when there were none)."""
    path = Path(target_path) / "run_results.json"
    if not path.exists():
        return {}
    args = json.loads(path.read_text(encoding="utf-8")).get("args", {})
    configured = args.get("vars") or {}
    if isinstance(configured, str):
        import yaml

        configured = yaml.safe_load(configured) or {}
    return dict(configured)


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


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class DbtSession:
    """dbt commands on one project, target folder, database and set of vars.

    The project is parsed once, on the first command, and the parsed
    manifest is reused by every later command, which saves a parse (several
    seconds) per command."""

    def __init__(
        self,
        project: Path,
        target_path: Path,
        database: Path | None = None,
        variables: dict[str, Any] | None = None,
    ) -> None:
        self.project = Path(project)
        self.target_path = Path(target_path)
        self.database = database
        self.variables = dict(variables or {})
        self._manifest = None

    def _arguments(self, args: list[str]) -> list[str]:
        command = [
            *args,
            "--project-dir", str(self.project),
            "--profiles-dir", str(self.project),
            "--target-path", str(self.target_path),
            "--log-path", str(self.target_path / "logs"),
        ]
        if self.variables:
            command += ["--vars", json.dumps(self.variables)]
        return command

    def _environment_values(self) -> dict[str, str]:
        values = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        if self.database is not None:
            values["GTM_DUCKDB_PATH"] = str(Path(self.database).resolve())
        return values

    def invoke(self, args: list[str]):
        """Run one dbt command and return dbt's result object; raise
        CatalogError when dbt fails to run or reports a failed node."""
        from dbt.cli.main import dbtRunner

        with _environment(self._environment_values()):
            if self._manifest is None:
                parsed = dbtRunner().invoke(self._arguments(["parse", "--log-level", "none"]))
                if parsed.exception is not None or not parsed.success:
                    raise CatalogError(f"dbt parse failed: {parsed.exception or 'see the dbt log'}")
                self._manifest = parsed.result
            logger.info("dbt %s", " ".join(args[:3]))
            result = dbtRunner(manifest=self._manifest).invoke(self._arguments(args))
        if result.exception is not None:
            raise CatalogError(f"dbt {args[0]} failed to run: {result.exception}") from result.exception
        if not result.success:
            failures = [
                f"{node_result.node.name}: {node_result.message}"
                for node_result in (getattr(result.result, "results", None) or [])
                if str(node_result.status).lower().split(".")[-1] in ("fail", "error")
            ]
            raise CatalogError(f"dbt {args[0]} reported failures: {'; '.join(failures) or 'see the dbt log'}")
        return result

    def query(self, sql: str) -> list[dict[str, Any]]:
        """Run a select (Jinja allowed) through `dbt show`, on any dbt adapter,
        and return its rows as dicts."""
        result = self.invoke(["show", "--inline", sql, "--limit", "-1", "--log-level", "none"])
        table = result.result.results[0].agate_table
        return [{name: _plain(value) for name, value in zip(table.column_names, row)} for row in table.rows]


def refresh_definitions(
    hashes: CatalogHashes,
    project: Path,
    target_path: Path,
    database: Path | None,
    extra_vars: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Rebuild metric_definitions (and run its tests) with var catalog_hashes,
    then return its rows ordered by metric_name and metric_version."""
    session = DbtSession(project, target_path, database, {**(extra_vars or {}), "catalog_hashes": hashes.as_var()})
    session.invoke(["build", "--select", "metric_definitions", "--log-level", "warn"])
    return session.query("select * from {{ ref('metric_definitions') }} order by metric_name, metric_version")


def check_rows(rows: list[dict[str, Any]], hashes: CatalogHashes) -> None:
    """Raise CatalogError unless every row carries the hashes computed for it."""
    expected = {(metric.metric_name, str(metric.metric_version)): metric for metric in hashes.metrics}
    problems = []
    for row in rows:
        key = (row["metric_name"], str(row["metric_version"]))
        metric = expected.pop(key, None)
        if metric is None:
            problems.append(f"{key[0]} version {key[1]} is in metric_definitions but not in the manifest")
        elif row["hash_status"] != "computed" or row["definition_sha256"] != metric.definition_sha256:
            problems.append(f"{key[0]} version {key[1]} has hash_status {row['hash_status']!r}")
    problems += [f"{name} version {version} is missing from metric_definitions" for name, version in expected]
    if problems:
        raise CatalogError(
            "metric_definitions does not match the build's manifest, so the code changed after the build "
            "or the Jinja and Python definition texts differ. Rebuild, then export again: " + "; ".join(problems)
        )


def catalog_document(rows: list[dict[str, Any]], hashes: CatalogHashes, manifest: dict[str, Any]) -> dict[str, Any]:
    """Return the JSON document of the catalog. It has no timestamp, so the
    same code always exports the same bytes."""
    return {
        "format_version": FORMAT_VERSION,
        "project": manifest["metadata"].get("project_name"),
        "normalisation": {"compiled_sql": SQL_NORMALISATION, "definition_text": DEFINITION_NORMALISATION},
        "metrics": rows,
        "models": {
            model.unique_id: {
                "name": model.name,
                "compiled_sql_sha256": model.compiled_sql_sha256,
                "upstream_sql_sha256": model.upstream_sql_sha256,
                "upstream": [{"unique_id": unique_id, "sha256": digest} for unique_id, digest in model.upstream],
            }
            for model in hashes.models
        },
    }


def _markdown_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return normalize_whitespace(text).replace("|", "\\|")


def catalog_markdown(document: dict[str, Any]) -> str:
    """Render the catalog document as Markdown: a summary table, then one
    section per metric version with every field and hash."""
    lines = [
        "# Metric definition catalog",
        "",
        "One entry per metric and version, exported from the `metric_definitions` relation.",
        "docs/auditing.md explains how to recompute each hash.",
        "",
        "| metric | version | label | unit | status | owner group | computed by | definition SHA-256 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in document["metrics"]:
        lines.append(
            f"| `{row['metric_name']}` | {row['metric_version']} | {_markdown_cell(row['label'])} "
            f"| {_markdown_cell(row['unit'])} | {row['status']} | {_markdown_cell(row['owner_group'])} "
            f"| `{row['computed_by']}` | `{(row['definition_sha256'] or '')[:12]}` |"
        )
    for row in document["metrics"]:
        lines += ["", f"## {row['metric_name']} (version {row['metric_version']})", ""]
        lines.append(_markdown_cell(row["definition"]) or "_No definition text._")
        lines.append("")
        for field in ("label", "unit", "numerator", "denominator", "filters", "time_dimension", "owner_group",
                      "computed_by", "model_access", "model_group", "status", "deprecation_date", "docs_block"):
            lines.append(f"- **{field}**: {_markdown_cell(row.get(field)) or '(none)'}")
        for field in ("definition_sha256", "compiled_sql_sha256", "upstream_sql_sha256"):
            lines.append(f"- **{field}**: `{row.get(field) or ''}`")
    lines += [
        "",
        "## Normalisation",
        "",
        f"- compiled SQL: {document['normalisation']['compiled_sql']}",
        f"- definition text: {document['normalisation']['definition_text']}",
        "",
    ]
    return "\n".join(lines)


def export_catalog(
    database: Path | None,
    target_path: Path,
    output_dir: Path,
    project: Path | None = None,
) -> CatalogExport:
    """Hash the definitions of the build in target_path, store the hashes in
    metric_definitions and write metric_catalog.json and metric_catalog.md
    to output_dir.

    database is the DuckDB file of the build (None for another adapter, whose
    connection comes from the environment as for the build). The build's
    --vars, read from run_results.json, are passed on, so metric_definitions
    is rebuilt under the same settings. dbt runs in target_path/catalog, so
    the build's own manifest stays untouched."""
    project = Path(project) if project else project_dir()
    target_path = Path(target_path)
    manifest = load_manifest(target_path)
    hashes = compute_hashes(manifest)
    rows = refresh_definitions(hashes, project, target_path / "catalog", database, build_vars(target_path))
    check_rows(rows, hashes)

    document = catalog_document(rows, hashes, manifest)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    json_path = output_dir / JSON_FILE
    markdown_path = output_dir / MARKDOWN_FILE
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    markdown_path.write_text(catalog_markdown(document), encoding="utf-8")
    logger.info("wrote %s and %s (%d metric versions)", json_path, markdown_path, len(rows))
    return CatalogExport(json_path=json_path, markdown_path=markdown_path, metric_count=len(rows))
