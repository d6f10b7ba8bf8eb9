"""Apply a mapping to a folder of exports and write contract-shaped files.

For each contract table the mapping feeds, one Parquet file is written with
every contract column as text. Three lineage columns follow: _source_file
(the export file), _source_row (1-based record number, header not counted)
and _source_line (the line the record starts on). The loader keeps them, so a
row that staging later quarantines still points at the export it came from.

A record that cannot be converted goes to the quarantine list with the
file, line, contract column, source column, value and reason; a record left
out by a `where` rule is counted as excluded. For every feed,
rows read = rows written + rows quarantined + rows excluded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gtm_metrics.contract import ContractTable, load_contract
from gtm_metrics.convert import (
    ConversionError,
    ValueFormat,
    convert_value,
    format_utc_timestamp,
    parse_instant,
)
from gtm_metrics.errors import InputError
from gtm_metrics.input_files import ExportFile, ExportRecord, delimiter_hint, read_export
from gtm_metrics.mapping import (
    TEMPLATE_FIELD,
    ColumnSpec,
    FeedSpec,
    FileSpec,
    Mapping,
    MappingError,
    template_fields,
)

logger = logging.getLogger(__name__)

LINEAGE_COLUMNS = ("_source_file", "_source_row", "_source_line")

# Contract columns that record something that already happened. A value
# after the latest possible event date is a data error, not a plan.
EVENT_INSTANT_COLUMNS = frozenset({"created_at", "occurred_at", "recorded_at", "entered_at"})

_AMBIGUOUS = object()


@dataclass
class QuarantineEntry:
    """One problem with one input row. A row with several problems has one
    entry per problem; counts always use distinct rows."""

    stage: str
    table: str
    source_file: str | None
    source_row: int | None
    source_line: int | None
    record_id: str | None
    column: str | None
    source_column: str | None
    value: str | None
    reason: str


@dataclass
class FeedCount:
    """Rows of one export file read into one contract table."""

    table: str
    source_file: str
    rows_read: int = 0
    rows_excluded: int = 0
    rows_quarantined: int = 0
    rows_written: int = 0
    exclusion_rule: str | None = None


@dataclass
class MappingResult:
    mapping: Mapping
    contract_folder: Path
    feeds: list[FeedCount] = field(default_factory=list)
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    unused_columns: dict[str, list[str]] = field(default_factory=dict)
    tables_written: list[str] = field(default_factory=list)
    max_event_date: date | None = None


def apply_mapping(
    mapping: Mapping,
    exports_folder: Path,
    contract_folder: Path,
    contract: dict[str, ContractTable] | None = None,
    today: date | None = None,
) -> MappingResult:
    """Read the exports named by `mapping` from `exports_folder` and write one
    contract-shaped Parquet file per fed table into `contract_folder`.

    `today` bounds event instants when the mapping sets neither
    max_event_date nor as_of_date (default: the current UTC date)."""
    contract = contract or load_contract()
    exports_folder = Path(exports_folder)
    if not exports_folder.is_dir():
        raise InputError(f"{exports_folder}: exports folder not found.")
    contract_folder.mkdir(parents=True, exist_ok=True)
    for table_name in contract:
        for suffix in (".parquet", ".csv"):
            (contract_folder / f"{table_name}{suffix}").unlink(missing_ok=True)

    exports = _read_needed_files(mapping, exports_folder)
    _check_source_columns(mapping, exports)
    result = MappingResult(
        mapping=mapping,
        contract_folder=contract_folder,
        max_event_date=_max_event_date(mapping, today),
    )
    result.unused_columns = _unused_columns(mapping, exports)
    lookups = _LookupIndex(mapping, exports)

    rows_by_table: dict[str, list[dict]] = {}
    for feed in mapping.feeds:
        rows = _apply_feed(feed, mapping.files[feed.file], exports[feed.file], contract[feed.table], lookups, result)
        rows_by_table.setdefault(feed.table, []).extend(rows)

    for table_name, rows in rows_by_table.items():
        _write_table(contract[table_name], rows, contract_folder / f"{table_name}.parquet")
        result.tables_written.append(table_name)
    return result


def _max_event_date(mapping: Mapping, today: date | None) -> date:
    configured = mapping.settings.max_event_date or mapping.settings.as_of_date
    if configured:
        return date.fromisoformat(configured)
    # NOTE: with neither setting, the bound is the day the mapping runs, so a
    # future-dated event is quarantined today and accepted once that day passes.
    return today or datetime.now(timezone.utc).date()


def _resolve_file(spec: FileSpec, exports_folder: Path) -> Path:
    matches = sorted(exports_folder.glob(spec.path))
    if not matches:
        raise InputError(f"{exports_folder / spec.path}: file not found (files.{spec.name}.path in the mapping).")
    if len(matches) > 1:
        listed = ", ".join(path.name for path in matches)
        raise InputError(
            f"{exports_folder}: files.{spec.name}.path '{spec.path}' matches several files ({listed}); "
            "make the pattern match exactly one."
        )
    return matches[0]


def _read_needed_files(mapping: Mapping, exports_folder: Path) -> dict[str, ExportFile]:
    needed = {feed.file for feed in mapping.feeds}
    for feed in mapping.feeds:
        needed.update(column.lookup.file for column in feed.columns if column.lookup is not None)
    exports = {}
    for name in sorted(needed):
        spec = mapping.files[name]
        exports[name] = read_export(_resolve_file(spec, exports_folder), spec.read.dialect)
    return exports


def _check_source_columns(mapping: Mapping, exports: dict[str, ExportFile]) -> None:
    """Raise InputError when the mapping reads a column a file does not have."""

    def require(file_name: str, column: str, where: str) -> None:
        export = exports[file_name]
        if column in export.header:
            return
        hint = delimiter_hint(export.header, mapping.files[file_name].read.dialect)
        raise InputError(
            f"{export.path}: column '{column}' not found ({where} in {mapping.path.name}); "
            f"the header has {', '.join(repr(name) for name in export.header)}.{hint}"
        )

    for feed in mapping.feeds:
        for condition in feed.where:
            require(feed.file, condition.column, f"tables.{feed.table}.where")
        for column in feed.columns:
            if column.optional and column.column is not None and column.column not in exports[feed.file].header:
                continue
            for source_column in column.source_columns():
                require(feed.file, source_column, f"tables.{feed.table}.columns.{column.name}")
            if column.lookup is not None:
                require(column.lookup.file, column.lookup.key, f"tables.{feed.table}.columns.{column.name}.lookup.key")
                require(column.lookup.file, column.lookup.value, f"tables.{feed.table}.columns.{column.name}.lookup.value")


def _unused_columns(mapping: Mapping, exports: dict[str, ExportFile]) -> dict[str, list[str]]:
    used: dict[str, set[str]] = {name: set() for name in exports}
    for feed in mapping.feeds:
        used[feed.file].update(condition.column for condition in feed.where)
        for column in feed.columns:
            used[feed.file].update(column.source_columns())
            if column.lookup is not None:
                used[column.lookup.file].update((column.lookup.key, column.lookup.value))
    return {
        exports[name].path.name: [column for column in exports[name].header if column not in used[name]]
        for name in exports
        if any(column not in used[name] for column in exports[name].header)
    }


class _LookupIndex:
    """Values of one column of a file, indexed by a key column; built on first use."""

    def __init__(self, mapping: Mapping, exports: dict[str, ExportFile]) -> None:
        self.mapping = mapping
        self.exports = exports
        self.indexes: dict[tuple[str, str, str], dict[str, object]] = {}

    def get(self, file_name: str, key: str, value_column: str, key_value: str) -> object:
        index_key = (file_name, key, value_column)
        if index_key not in self.indexes:
            index: dict[str, object] = {}
            for record in self.exports[file_name].records:
                if record.values is None:
                    continue
                record_key = record.values[key].strip()
                value = record.values[value_column]
                if record_key in index and index[record_key] != value:
                    index[record_key] = _AMBIGUOUS
                else:
                    index.setdefault(record_key, value)
            self.indexes[index_key] = index
        return self.indexes[index_key].get(key_value)


class _RowProblem(Exception):
    def __init__(self, column: ColumnSpec, value: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason


def _apply_feed(
    feed: FeedSpec,
    file_spec: FileSpec,
    export: ExportFile,
    table: ContractTable,
    lookups: _LookupIndex,
    result: MappingResult,
) -> list[dict]:
    source_file = export.path.name
    count = FeedCount(table=feed.table, source_file=source_file)
    if feed.where:
        count.exclusion_rule = " and ".join(condition.describe() for condition in feed.where)
    result.feeds.append(count)
    column_types = {column.name: column.type for column in table.columns}
    rows = []
    for record in export.records:
        count.rows_read += 1
        if record.values is None:
            count.rows_quarantined += 1
            result.quarantine.append(
                _entry(feed, record, source_file, None, None, None, None, record.problem or "unreadable record")
            )
            continue
        if not _passes(feed, record.values):
            count.rows_excluded += 1
            continue
        output, problems = _convert_record(feed, file_spec, record, column_types, lookups, result)
        if problems:
            count.rows_quarantined += 1
            record_id = output.get(table.primary_key)
            for problem in problems:
                result.quarantine.append(
                    _entry(
                        feed, record, source_file, record_id, problem.column.name,
                        _describe_source(problem.column), problem.value, problem.reason,
                    )
                )
            continue
        output.update({"_source_file": source_file, "_source_row": record.row_number, "_source_line": record.line_number})
        rows.append(output)
        count.rows_written += 1
    logger.info(
        "%s -> %s: %d read, %d written, %d quarantined, %d excluded",
        source_file, feed.table, count.rows_read, count.rows_written, count.rows_quarantined, count.rows_excluded,
    )
    return rows


def _entry(feed, record: ExportRecord, source_file, record_id, column, source_column, value, reason) -> QuarantineEntry:
    return QuarantineEntry(
        stage="mapping",
        table=feed.table,
        source_file=source_file,
        source_row=record.row_number,
        source_line=record.line_number,
        record_id=record_id,
        column=column,
        source_column=source_column,
        value=value,
        reason=reason,
    )


def _describe_source(column: ColumnSpec) -> str | None:
    if column.column is not None:
        return column.column
    if column.template is not None:
        return ", ".join(template_fields(column.template))
    if column.lookup is not None:
        return f"{column.lookup.file}.{column.lookup.value}"
    return None


def _passes(feed: FeedSpec, values: dict[str, str]) -> bool:
    for condition in feed.where:
        matched = values[condition.column].strip() in condition.values
        if matched == condition.negate:
            return False
    return True


def _convert_record(
    feed: FeedSpec,
    file_spec: FileSpec,
    record: ExportRecord,
    column_types: dict[str, str],
    lookups: _LookupIndex,
    result: MappingResult,
) -> tuple[dict, list[_RowProblem]]:
    output: dict[str, str | None] = {}
    problems = []
    for column in feed.columns:
        try:
            output[column.name] = _convert_column(
                column, column_types[column.name], file_spec, record.values, lookups, result
            )
        except _RowProblem as problem:
            problems.append(problem)
            output[column.name] = None
    return output, problems


def _convert_column(
    column: ColumnSpec,
    contract_type: str,
    file_spec: FileSpec,
    values: dict[str, str],
    lookups: _LookupIndex,
    result: MappingResult,
) -> str | None:
    mapping = result.mapping
    settings = file_spec.read
    if column.lookup is not None:
        settings = mapping.files[column.lookup.file].read
    missing_values = column.missing_values if column.missing_values is not None else settings.missing_values

    raw = _raw_value(column, values, lookups, missing_values)
    value = None if raw is None or raw.strip() in missing_values else raw.strip()

    if value is not None and column.values is not None:
        value = _map_value(column, value)
    if value is not None and column.lowercase:
        value = value.lower()
    if value is None and column.default is not None:
        value = column.default
    if value is None:
        return None

    value_format = replace(settings.value_format, **column.value_overrides)
    try:
        if contract_type in ("date", "timestamp"):
            return _convert_instant(column, contract_type, value, value_format, result.max_event_date)
        return convert_value(value, contract_type, value_format)
    except ConversionError as error:
        raise _RowProblem(column, raw, f"{column.name}: {error}") from error


def _raw_value(column: ColumnSpec, values: dict[str, str], lookups: _LookupIndex, missing_values) -> str | None:
    if column.constant is not None or (column.column is None and column.template is None and column.lookup is None):
        return column.constant
    if column.column is not None:
        return values.get(column.column)
    if column.template is not None:
        return _fill_template(column.template, values, missing_values)
    lookup = column.lookup
    key_value = values[lookup.match].strip()
    if key_value in missing_values:
        return None
    found = lookups.get(lookup.file, lookup.key, lookup.value, key_value)
    if found is _AMBIGUOUS:
        raise _RowProblem(
            column, key_value,
            f"{column.name}: several rows of {lookup.file} have {lookup.key} '{key_value}' with different "
            f"{lookup.value} values, so the lookup is ambiguous",
        )
    return found


class _MissingTemplateField(Exception):
    pass


def _fill_template(template: str, values: dict[str, str], missing_values) -> str | None:
    """Fill "{column}" fields from the record; "{{" and "}}" are literal
    braces. Return None when any field is missing."""

    def substitute(match: re.Match) -> str:
        if match.group(1) is None:
            return match.group(0)[0]
        value = values[match.group(1)].strip()
        if value in missing_values:
            raise _MissingTemplateField
        return value

    try:
        return TEMPLATE_FIELD.sub(substitute, template)
    except _MissingTemplateField:
        return None


def _map_value(column: ColumnSpec, value: str) -> str | None:
    assert column.values is not None
    if value in column.values:
        return column.values[value]
    if column.case_insensitive:
        lowered = value.lower()
        for key, mapped in column.values.items():
            if key.lower() == lowered:
                return mapped
    if column.unmapped == "missing":
        return None
    if column.unmapped == "quarantine":
        known = ", ".join(f"'{key}'" for key in column.values)
        raise _RowProblem(column, value, f"{column.name}: unknown value '{value}' (the mapping lists {known})")
    return value


def _convert_instant(
    column: ColumnSpec, contract_type: str, value: str, value_format: ValueFormat, max_event_date: date | None
) -> str:
    parsed = parse_instant(value, value_format)
    if contract_type == "date":
        return parsed.local_date.isoformat()
    if column.name in EVENT_INSTANT_COLUMNS and max_event_date is not None and parsed.local_date > max_event_date:
        raise ConversionError(
            f"'{value}' is after {max_event_date.isoformat()}, the latest date an event can have "
            "(settings.max_event_date or settings.as_of_date in the mapping)"
        )
    return format_utc_timestamp(parsed.utc)


def _write_table(table: ContractTable, rows: list[dict], path: Path) -> None:
    arrays = {name: pa.array([row.get(name) for row in rows], type=pa.string()) for name in table.column_names}
    arrays["_source_file"] = pa.array([row["_source_file"] for row in rows], type=pa.string())
    arrays["_source_row"] = pa.array([row["_source_row"] for row in rows], type=pa.int64())
    arrays["_source_line"] = pa.array([row["_source_line"] for row in rows], type=pa.int64())
    pq.write_table(pa.table(arrays), path)
    logger.info("%s: wrote %d rows to %s", table.name, len(rows), path)


__all__ = [
    "FeedCount",
    "LINEAGE_COLUMNS",
    "MappingError",
    "MappingResult",
    "QuarantineEntry",
    "apply_mapping",
]
