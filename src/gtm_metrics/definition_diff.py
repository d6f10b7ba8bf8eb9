"""Compare two versions of one metric: what changed in the definition, and
what the change does to the numbers over the same data.

Both comparisons are SQL in macros/catalog/catalog_metric_version_diff.sql
(the macros catalog_metric_version_diff and catalog_definition_field_diff),
run through `dbt show`, so the differences are computed by the warehouse and
this module only formats them. The analyses mql_definition_diff and
mql_definition_fields_diff run the same macros for the MQL versions.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gtm_metrics.catalog import DbtSession
from gtm_metrics.contract import project_dir
from gtm_metrics.errors import InputError

logger = logging.getLogger(__name__)


class MetricVersionNotFoundError(InputError):
    """Raised when metric_definitions has no row for a requested metric version."""


@dataclass(frozen=True)
class FieldChange:
    """One definition field of the two versions, and whether it differs."""

    field_name: str
    from_text: str | None
    to_text: str | None
    is_changed: bool


@dataclass(frozen=True)
class DefinitionDiff:
    """Definition and numeric differences between two versions of a metric."""

    metric_name: str
    from_version: int
    to_version: int
    grain: str
    dimension_name: str
    fields: list[FieldChange]
    periods: list[dict[str, Any]]

    @property
    def changed_fields(self) -> list[FieldChange]:
        return [field for field in self.fields if field.is_changed]

    def definition_text_diff(self) -> list[str]:
        """Return a unified diff of the plain-language definitions (docs block text)."""
        texts = {field.field_name: field for field in self.fields}.get("definition")
        if texts is None:
            return []
        return list(
            difflib.unified_diff(
                (texts.from_text or "").splitlines(),
                (texts.to_text or "").splitlines(),
                fromfile=f"{self.metric_name} version {self.from_version}",
                tofile=f"{self.metric_name} version {self.to_version}",
                lineterm="",
            )
        )

    def render(self) -> str:
        """Return the comparison as plain text: changed fields, the definition
        diff, then one line per period."""
        lines = [f"{self.metric_name}: version {self.from_version} against version {self.to_version}", ""]

        lines.append("definition fields that differ:")
        changed = [field for field in self.changed_fields if field.field_name != "definition"]
        for field in changed:
            lines.append(f"  {field.field_name}:")
            lines.append(f"    - {field.from_text if field.from_text is not None else '(none)'}")
            lines.append(f"    + {field.to_text if field.to_text is not None else '(none)'}")
        if not changed:
            lines.append("  (none)")

        text_diff = self.definition_text_diff()
        texts = {field.field_name: field for field in self.fields}.get("definition")
        lines.append("")
        lines.append("plain-language definition:")
        if text_diff:
            lines += [f"  {line}" for line in text_diff]
        elif texts is None or (texts.from_text is None and texts.to_text is None):
            lines.append("  (not in metric_definitions yet: run gtm-metrics catalog after the build)")
        else:
            lines.append("  (unchanged)")

        lines.append("")
        lines.append(
            f"values by {self.grain} ({self.dimension_name}): "
            f"version {self.from_version}, version {self.to_version}, difference, relative difference"
        )
        for row in self.periods:
            label = str(row["period_start"])
            if self.dimension_name != "all":
                label += f"  {row['dimension_value']}"
            lines.append(
                f"  {label:24} {_number(row['from_value']):>14} {_number(row['to_value']):>14} "
                f"{_number(row['difference']):>14} {_percent(row['relative_difference']):>9}"
            )
        if not self.periods:
            lines.append("  (no rows in the metrics table)")
        return "\n".join(lines)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1%}"


# Metric, grain and dimension names are snake_case identifiers, so they can
# be quoted in SQL and Jinja without escaping.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def _checked_identifier(kind: str, value: str) -> str:
    if not IDENTIFIER.match(value):
        raise InputError(f"invalid {kind} {value!r}: expected a snake_case name such as new_mqls.")
    return f"'{value}'"


def diff_metric_versions(
    metric_name: str,
    from_version: int,
    to_version: int,
    grain: str = "month",
    dimension_name: str = "all",
    database: Path | None = None,
    target_path: Path | None = None,
    project: Path | None = None,
) -> DefinitionDiff:
    """Compare two versions of a metric in a built database.

    Raises MetricVersionNotFoundError when either version is missing from
    metric_definitions (the message lists the versions that exist)."""
    project = Path(project) if project else project_dir()
    target_path = Path(target_path) if target_path else project / "target" / "definition_diff"
    literal = _checked_identifier("metric name", metric_name)
    grain_literal = _checked_identifier("grain", grain)
    dimension_literal = _checked_identifier("dimension name", dimension_name)
    session = DbtSession(project, target_path, database)
    known = session.query(
        "select metric_version from {{ ref('metric_definitions') }} "
        f"where metric_name = {literal} order by metric_version"
    )
    versions = [int(row["metric_version"]) for row in known]
    missing = [version for version in (from_version, to_version) if version not in versions]
    if missing:
        found = ", ".join(str(version) for version in versions) or "none"
        raise MetricVersionNotFoundError(
            f"metric {metric_name!r} has no version {', '.join(str(v) for v in missing)} in metric_definitions "
            f"(versions found: {found}). Check the name and versions, or build the project first."
        )

    arguments = f"{literal}, {int(from_version)}, {int(to_version)}"
    fields = session.query(f"{{{{ catalog_definition_field_diff({arguments}) }}}}")
    periods = session.query(
        f"{{{{ catalog_metric_version_diff({arguments}, grain={grain_literal}, "
        f"dimension_name={dimension_literal}) }}}}"
    )
    return DefinitionDiff(
        metric_name=metric_name,
        from_version=int(from_version),
        to_version=int(to_version),
        grain=grain,
        dimension_name=dimension_name,
        fields=[
            FieldChange(
                field_name=row["field_name"],
                from_text=row["from_text"],
                to_text=row["to_text"],
                is_changed=bool(row["is_changed"]),
            )
            for row in fields
        ],
        periods=periods,
    )
