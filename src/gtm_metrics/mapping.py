"""Read and check a mapping file: how one export format feeds the input contract.

A mapping is a YAML file (see mappings/README.md for every key). It names the
exported files and how they are written: encoding, delimiter, missing-value
tokens, boolean spellings, date formats, time zone and number separators.
For each contract table it says which file and column feed each contract
column, with value maps for stage and status names. Everything in a mapping is data:
it is applied in Python and never spliced into SQL.

Every YAML scalar is read as text (only an empty value or `null` is null),
so `Yes`, `01` and `2024-07-01` stay exactly as written.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gtm_metrics.contract import ContractTable, load_contract, project_dir
from gtm_metrics.convert import ISO_8601, ValueFormat
from gtm_metrics.errors import InputError
from gtm_metrics.input_files import CsvDialect
from gtm_metrics import variables

MAPPING_VERSION = "1"
MAPPINGS_FOLDER = Path("mappings")

_READ_KEYS = {
    "encoding", "delimiter", "quote", "missing_values", "true_values", "false_values",
    "date_formats", "timezone", "decimal_separator", "thousands_separator",
}
_COLUMN_VALUE_KEYS = {
    "missing_values", "true_values", "false_values", "date_formats", "timezone",
    "decimal_separator", "thousands_separator", "scale",
}
_COLUMN_KEYS = _COLUMN_VALUE_KEYS | {
    "column", "constant", "template", "lookup", "values", "unmapped", "case_insensitive",
    "default", "lowercase", "optional",
}
_SOURCE_KEYS = ("column", "constant", "template", "lookup")
_UNMAPPED_POLICIES = ("keep", "missing", "quarantine")
_TOP_KEYS = {"mapping_version", "name", "description", "settings", "defaults", "files", "tables", "absent", "rules"}
_SETTING_KEYS = {"reporting_timezone", "reporting_currency", "as_of_date", "max_event_date", "variables"}
TEMPLATE_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


class MappingError(InputError):
    """Raised when a mapping file is invalid; the message names the file and
    the key path, for example tables.leads.columns.created_at."""


class _TextLoader(yaml.SafeLoader):
    """A YAML loader that reads every plain scalar as text except null."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class ReadSettings:
    """Read settings of the files of an export. A file may override any field."""

    dialect: CsvDialect = CsvDialect()
    missing_values: tuple[str, ...] = ("",)
    value_format: ValueFormat = ValueFormat()


@dataclass(frozen=True)
class FileSpec:
    name: str
    path: str
    read: ReadSettings


@dataclass(frozen=True)
class Lookup:
    """Take the value from another file: the row of `file` whose `key`
    equals this row's `match` column."""

    file: str
    key: str
    value: str
    match: str


@dataclass(frozen=True)
class ColumnSpec:
    """Source and conversion of one contract column in one feed."""

    name: str
    column: str | None = None
    constant: str | None = None
    template: str | None = None
    lookup: Lookup | None = None
    values: dict[str, str | None] | None = None
    unmapped: str = "keep"
    case_insensitive: bool = False
    default: str | None = None
    lowercase: bool = False
    optional: bool = False
    missing_values: tuple[str, ...] | None = None
    # ValueFormat fields set on this column, applied over the file's own.
    value_overrides: dict[str, Any] = field(default_factory=dict)

    def source_columns(self) -> list[str]:
        """Names of the columns of the feed's own file that this spec reads."""
        if self.column is not None:
            return [self.column]
        if self.template is not None:
            return template_fields(self.template)
        if self.lookup is not None:
            return [self.lookup.match]
        return []


@dataclass(frozen=True)
class Condition:
    column: str
    values: tuple[str, ...]
    negate: bool

    def describe(self) -> str:
        listed = ", ".join(f"'{value}'" for value in self.values)
        return f"{self.column} {'not in' if self.negate else 'in'} ({listed})"


@dataclass(frozen=True)
class FeedSpec:
    """One file feeding one contract table."""

    table: str
    file: str
    columns: tuple[ColumnSpec, ...]
    where: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class BuildSettings:
    """dbt variables a mapping sets for the build of its data."""

    reporting_timezone: str | None = None
    reporting_currency: str | None = None
    as_of_date: str | None = None
    max_event_date: str | None = None
    # Further dbt variables, for example {feedback_handoff_mql_version: "1"}.
    variables: dict[str, str] = field(default_factory=dict)

    def dbt_vars(self) -> dict[str, str]:
        values = {
            **self.variables,
            "gtm_reporting_timezone": self.reporting_timezone,
            "gtm_reporting_currency": self.reporting_currency,
            "gtm_as_of_date": self.as_of_date,
        }
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Mapping:
    path: Path
    name: str
    description: str
    settings: BuildSettings
    files: dict[str, FileSpec]
    feeds: tuple[FeedSpec, ...]
    absent: dict[str, str]
    rules: tuple[dict[str, str], ...]

    def tables_not_declared(self, contract: dict[str, ContractTable]) -> list[str]:
        """Contract tables neither fed nor listed under `absent`."""
        fed = {feed.table for feed in self.feeds}
        return [name for name in contract if name not in fed and name not in self.absent]


def template_fields(template: str) -> list[str]:
    """Column names used in a template such as "{usage_id}/{subscription_id}"."""
    return [match.group(1) for match in TEMPLATE_FIELD.finditer(template) if match.group(1) is not None]


def resolve_mapping_path(value: str) -> Path:
    """Return the mapping file for `value`: a path, or the name of a mapping
    shipped in the project's mappings folder (olist_marketing_funnel)."""
    candidate = Path(value)
    if candidate.is_file():
        return candidate
    shipped = project_dir() / MAPPINGS_FOLDER / f"{value}.yml"
    if "/" not in value and "\\" not in value and shipped.is_file():
        return shipped
    raise MappingError(
        f"{value}: mapping file not found. Give a path to a YAML file or the name of a shipped mapping "
        f"({', '.join(shipped_mapping_names()) or 'none found'})."
    )


def shipped_mapping_names() -> list[str]:
    folder = project_dir() / MAPPINGS_FOLDER
    return sorted(path.stem for path in folder.glob("*.yml")) if folder.is_dir() else []


def load_mapping(path: Path, contract: dict[str, ContractTable] | None = None) -> Mapping:
    """Parse and check the mapping file at `path`."""
    contract = contract or load_contract()
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(f"{path}: the mapping file cannot be read ({error}).") from error
    except yaml.YAMLError as error:
        raise MappingError(f"{path}: invalid YAML ({error}).") from error
    return _MappingParser(path, contract).parse(document)


class _MappingParser:
    """Turn the YAML document into a Mapping, raising MappingError with the
    key path of the first problem."""

    def __init__(self, path: Path, contract: dict[str, ContractTable]) -> None:
        self.path = path
        self.contract = contract

    def fail(self, where: str, message: str) -> MappingError:
        return MappingError(f"{self.path}: {where}: {message}")

    def parse(self, document: Any) -> Mapping:
        document = self.expect_dict(document, "the file")
        self.check_keys(document, _TOP_KEYS, "the file")
        version = document.get("mapping_version")
        if version != MAPPING_VERSION:
            raise self.fail("mapping_version", f"expected {MAPPING_VERSION}, found {version!r}.")
        name = self.expect_text(document.get("name"), "name")
        settings = self.parse_settings(document.get("settings") or {})
        defaults = self.parse_read_settings(document.get("defaults") or {}, ReadSettings(), "defaults")
        files = self.parse_files(document.get("files"), defaults)
        feeds = self.parse_tables(document.get("tables"), files)
        absent = self.parse_absent(document.get("absent") or {}, feeds)
        rules = self.parse_rules(document.get("rules") or [])
        return Mapping(
            path=self.path,
            name=name,
            description=(document.get("description") or "").strip(),
            settings=settings,
            files=files,
            feeds=feeds,
            absent=absent,
            rules=rules,
        )

    # Generic checks

    def expect_dict(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping of keys to values, found {type(value).__name__}.")
        return value

    def expect_text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or value.strip() == "":
            raise self.fail(where, f"expected a non-empty text value, found {value!r}.")
        return value.strip() if "\n" in value else value

    def expect_text_list(self, value: Any, where: str, allow_empty_text: bool = False) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list of text values, found {value!r}.")
        result = []
        for item in value:
            if item is None and allow_empty_text:
                item = ""
            if not isinstance(item, str):
                raise self.fail(where, f"expected text values, found {item!r}.")
            result.append(item)
        return tuple(result)

    def expect_flag(self, value: Any, where: str) -> bool:
        if value is None:
            return False
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self.fail(where, f"expected true or false, found {value!r}.")

    def check(self, check_function, value: Any, where: str) -> Any:
        """Run one of the checks in gtm_metrics.variables, raising MappingError."""
        try:
            return check_function(value, f"{self.path}: {where}")
        except MappingError:
            raise
        except InputError as error:
            raise MappingError(str(error)) from error

    def check_keys(self, block: dict, allowed: set[str], where: str) -> None:
        unknown = sorted(str(key) for key in block if key not in allowed)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}.")

    # Sections

    def parse_settings(self, block: Any) -> BuildSettings:
        block = self.expect_dict(block, "settings")
        self.check_keys(block, _SETTING_KEYS, "settings")
        timezone = block.get("reporting_timezone")
        if timezone is not None:
            self.check(variables.check_timezone, timezone, "settings.reporting_timezone")
        currency = block.get("reporting_currency")
        if currency is not None:
            self.check(variables.check_currency_code, currency, "settings.reporting_currency")
        for key in ("as_of_date", "max_event_date"):
            if block.get(key) is not None:
                self.check(variables.check_iso_date, block[key], f"settings.{key}")
        extra = self.expect_dict(block.get("variables") or {}, "settings.variables")
        self.check(variables.check_dbt_vars, extra, "settings.variables")
        reserved = sorted(set(extra) & {"gtm_reporting_timezone", "gtm_reporting_currency", "gtm_as_of_date"})
        if reserved:
            raise self.fail("settings.variables", f"set {', '.join(reserved)} with the settings of the same name.")
        return BuildSettings(
            reporting_timezone=timezone,
            reporting_currency=currency,
            as_of_date=block.get("as_of_date"),
            max_event_date=block.get("max_event_date"),
            variables=extra,
        )

    def parse_read_settings(self, block: Any, base: ReadSettings, where: str) -> ReadSettings:
        block = self.expect_dict(block, where)
        dialect = base.dialect
        if "encoding" in block:
            encoding = self.expect_text(block["encoding"], f"{where}.encoding")
            try:
                codecs.lookup(encoding)
            except LookupError as error:
                raise self.fail(f"{where}.encoding", f"unknown encoding '{encoding}' (for example utf-8, latin-1, cp1252, utf-16).") from error
            dialect = replace(dialect, encoding=encoding)
        for key in ("delimiter", "quote"):
            if key in block:
                character = block[key]
                if not isinstance(character, str) or len(character) != 1:
                    raise self.fail(f"{where}.{key}", f"expected one character, found {character!r}.")
                dialect = replace(dialect, **{key: character})
        missing = base.missing_values
        if "missing_values" in block:
            missing = self.expect_text_list(block["missing_values"], f"{where}.missing_values", allow_empty_text=True)
        value_format = self.parse_value_format(block, base.value_format, where)
        return ReadSettings(dialect=dialect, missing_values=missing, value_format=value_format)

    def parse_value_format(self, block: dict, base: ValueFormat, where: str) -> ValueFormat:
        result = replace(base, **self.value_format_changes(block, where))
        if result.thousands_separator is not None and result.thousands_separator == result.decimal_separator:
            raise self.fail(where, "thousands_separator and decimal_separator must differ.")
        return result

    def value_format_changes(self, block: dict, where: str) -> dict[str, Any]:
        """Return the ValueFormat fields that `block` sets, checked."""
        changes: dict[str, Any] = {}
        for key in ("true_values", "false_values", "date_formats"):
            if key in block:
                changes[key] = self.expect_text_list(block[key], f"{where}.{key}")
        for date_format in changes.get("date_formats", ()):
            if date_format != ISO_8601 and "%" not in date_format:
                raise self.fail(
                    f"{where}.date_formats",
                    f"'{date_format}' is not a format; use {ISO_8601} or strftime codes such as %d/%m/%Y.",
                )
        if "timezone" in block:
            changes["timezone"] = self.check(variables.check_timezone, block["timezone"], f"{where}.timezone")
        if "decimal_separator" in block:
            separator = block["decimal_separator"]
            if separator not in (".", ","):
                raise self.fail(f"{where}.decimal_separator", f"expected '.' or ',', found {separator!r}.")
            changes["decimal_separator"] = separator
        if "thousands_separator" in block:
            separator = block["thousands_separator"]
            if separator not in (None, ",", ".", " ", "'", "\u00a0", "\u202f"):
                raise self.fail(
                    f"{where}.thousands_separator", f"expected one of , . ' or a space, found {separator!r}."
                )
            changes["thousands_separator"] = separator
        if "scale" in block:
            try:
                changes["scale"] = Decimal(block["scale"])
            except (InvalidOperation, TypeError) as error:
                raise self.fail(f"{where}.scale", f"expected a number such as 0.01, found {block['scale']!r}.") from error
        return changes

    def parse_files(self, block: Any, defaults: ReadSettings) -> dict[str, FileSpec]:
        block = self.expect_dict(block, "files")
        files = {}
        for name, settings in block.items():
            where = f"files.{name}"
            settings = self.expect_dict(settings, where)
            self.check_keys(settings, _READ_KEYS | {"path"}, where)
            path = self.expect_text(settings.get("path"), f"{where}.path")
            read = self.parse_read_settings({k: v for k, v in settings.items() if k != "path"}, defaults, where)
            files[name] = FileSpec(name=name, path=path, read=read)
        if not files:
            raise self.fail("files", "no files are declared.")
        return files

    def parse_tables(self, block: Any, files: dict[str, FileSpec]) -> tuple[FeedSpec, ...]:
        block = self.expect_dict(block, "tables")
        feeds = []
        for table_name, entries in block.items():
            if table_name not in self.contract:
                raise self.fail(
                    f"tables.{table_name}",
                    f"'{table_name}' is not a contract table; use one of {', '.join(self.contract)}.",
                )
            entries = entries if isinstance(entries, list) else [entries]
            for position, entry in enumerate(entries):
                where = f"tables.{table_name}" + (f"[{position}]" if len(entries) > 1 else "")
                feeds.append(self.parse_feed(table_name, entry, files, where))
        return tuple(feeds)

    def parse_feed(self, table_name: str, entry: Any, files: dict[str, FileSpec], where: str) -> FeedSpec:
        entry = self.expect_dict(entry, where)
        self.check_keys(entry, {"from", "where", "columns"}, where)
        file_name = self.expect_text(entry.get("from"), f"{where}.from")
        if file_name not in files:
            raise self.fail(f"{where}.from", f"'{file_name}' is not declared under files ({', '.join(files)}).")
        table = self.contract[table_name]
        columns_block = self.expect_dict(entry.get("columns"), f"{where}.columns")
        columns = []
        for column_name, spec in columns_block.items():
            if column_name not in table.column_names:
                raise self.fail(
                    f"{where}.columns.{column_name}",
                    f"'{column_name}' is not a column of contract table {table_name} ({', '.join(table.column_names)}).",
                )
            columns.append(self.parse_column(column_name, spec, files, f"{where}.columns.{column_name}"))
        mapped = {column.name for column in columns}
        missing_required = [name for name in table.required_columns if name not in mapped]
        if missing_required:
            raise self.fail(
                f"{where}.columns",
                f"required contract column(s) {', '.join(missing_required)} are not mapped; "
                "map each to a file column, a constant, a template or a lookup.",
            )
        conditions = self.parse_where(entry.get("where"), f"{where}.where")
        return FeedSpec(table=table_name, file=file_name, columns=tuple(columns), where=conditions)

    def parse_column(self, name: str, spec: Any, files: dict[str, FileSpec], where: str) -> ColumnSpec:
        if isinstance(spec, str):
            return ColumnSpec(name=name, column=spec)
        spec = self.expect_dict(spec, where)
        self.check_keys(spec, _COLUMN_KEYS, where)
        lookup = self.parse_column_source(spec, files, where)

        values = self.parse_values(spec["values"], f"{where}.values") if "values" in spec else None
        unmapped = spec.get("unmapped", "keep")
        if unmapped not in _UNMAPPED_POLICIES:
            raise self.fail(f"{where}.unmapped", f"expected one of {', '.join(_UNMAPPED_POLICIES)}, found {unmapped!r}.")
        if "unmapped" in spec and values is None:
            raise self.fail(f"{where}.unmapped", "unmapped needs a values map.")

        missing = None
        if "missing_values" in spec:
            missing = self.expect_text_list(spec["missing_values"], f"{where}.missing_values", allow_empty_text=True)
        if spec.get("default") is not None and not isinstance(spec["default"], str):
            raise self.fail(f"{where}.default", f"expected a text value, found {spec['default']!r}.")

        return ColumnSpec(
            name=name,
            column=spec.get("column"),
            constant=spec.get("constant"),
            template=spec.get("template"),
            lookup=lookup,
            values=values,
            unmapped=unmapped,
            case_insensitive=self.expect_flag(spec.get("case_insensitive"), f"{where}.case_insensitive"),
            default=spec.get("default"),
            lowercase=self.expect_flag(spec.get("lowercase"), f"{where}.lowercase"),
            optional=self.expect_flag(spec.get("optional"), f"{where}.optional"),
            missing_values=missing,
            value_overrides=self.value_format_changes(spec, where),
        )

    def parse_column_source(self, spec: dict, files: dict[str, FileSpec], where: str) -> Lookup | None:
        """Check that a column block has exactly one source (column, constant,
        template or lookup) and return its lookup, if it is one."""
        sources = [key for key in _SOURCE_KEYS if key in spec]
        if len(sources) != 1:
            raise self.fail(where, f"give exactly one of {', '.join(_SOURCE_KEYS)}; found {', '.join(sources) or 'none'}.")
        if "constant" in spec and spec["constant"] is not None and not isinstance(spec["constant"], str):
            raise self.fail(f"{where}.constant", f"expected a text value, found {spec['constant']!r}.")
        if "template" in spec:
            template = self.expect_text(spec["template"], f"{where}.template")
            if not template_fields(template):
                raise self.fail(
                    f"{where}.template", "a template needs at least one {column} field; use constant for fixed text."
                )
        if "lookup" in spec:
            return self.parse_lookup(spec["lookup"], files, f"{where}.lookup")
        return None

    def parse_values(self, block: Any, where: str) -> dict[str, str | None]:
        values = {}
        for key, value in self.expect_dict(block, where).items():
            if not isinstance(key, str) or (value is not None and not isinstance(value, str)):
                raise self.fail(where, f"expected text keys and text or null values, found {key!r}: {value!r}.")
            values[key] = value
        return values

    def parse_lookup(self, block: Any, files: dict[str, FileSpec], where: str) -> Lookup:
        block = self.expect_dict(block, where)
        self.check_keys(block, {"file", "key", "value", "match"}, where)
        file_name = self.expect_text(block.get("file"), f"{where}.file")
        if file_name not in files:
            raise self.fail(f"{where}.file", f"'{file_name}' is not declared under files ({', '.join(files)}).")
        key = self.expect_text(block.get("key"), f"{where}.key")
        value = self.expect_text(block.get("value"), f"{where}.value")
        match = self.expect_text(block.get("match", key), f"{where}.match")
        return Lookup(file=file_name, key=key, value=value, match=match)

    def parse_where(self, block: Any, where: str) -> tuple[Condition, ...]:
        if block is None:
            return ()
        items = block if isinstance(block, list) else [block]
        conditions = []
        for item in items:
            item = self.expect_dict(item, where)
            self.check_keys(item, {"column", "in", "not_in"}, where)
            column = self.expect_text(item.get("column"), f"{where}.column")
            if ("in" in item) == ("not_in" in item):
                raise self.fail(where, "give exactly one of in or not_in.")
            negate = "not_in" in item
            values = self.expect_text_list(item["not_in" if negate else "in"], where, allow_empty_text=True)
            conditions.append(Condition(column=column, values=values, negate=negate))
        return tuple(conditions)

    def parse_absent(self, block: Any, feeds: tuple[FeedSpec, ...]) -> dict[str, str]:
        block = self.expect_dict(block, "absent")
        fed = {feed.table for feed in feeds}
        absent = {}
        for table_name, reason in block.items():
            if table_name not in self.contract:
                raise self.fail(f"absent.{table_name}", f"'{table_name}' is not a contract table.")
            if table_name in fed:
                raise self.fail(f"absent.{table_name}", "the table is also mapped under tables.")
            absent[table_name] = self.expect_text(reason, f"absent.{table_name}")
        return absent

    def parse_rules(self, block: Any) -> tuple[dict[str, str], ...]:
        if not isinstance(block, list):
            raise self.fail("rules", "expected a list of {quirk, rule} entries.")
        rules = []
        for position, item in enumerate(block):
            item = self.expect_dict(item, f"rules[{position}]")
            self.check_keys(item, {"quirk", "rule"}, f"rules[{position}]")
            rules.append(
                {
                    "quirk": self.expect_text(item.get("quirk"), f"rules[{position}].quirk"),
                    "rule": self.expect_text(item.get("rule"), f"rules[{position}].rule"),
                }
            )
        return tuple(rules)
