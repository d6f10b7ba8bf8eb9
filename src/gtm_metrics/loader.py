"""Load a folder of contract-shaped files into the raw schema of a warehouse.

Every column is loaded as text: parsing and validation happen in the dbt
staging layer, where an unusable row is quarantined with its reason instead
of being dropped. The loader itself only rejects what no row-level rule can
absorb: an unreadable file or a file without a required column.

Each raw table gets extra columns so a quarantined row can be traced back:
_source_file (file name), _source_row (1-based data row number, the header
not counted) and _source_line (line the record starts on, null when
unknown). A file written by the mapping step already carries these three
columns, pointing at the original export, and the loader keeps them.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from gtm_metrics.contract import ContractTable, load_contract
from gtm_metrics.errors import InputError
from gtm_metrics.input_files import CsvDialect, delimiter_hint

logger = logging.getLogger(__name__)

LINEAGE_COLUMNS = ("_source_file", "_source_row", "_source_line")


@dataclass
class TableLoad:
    """Load result of one contract table: source file, rows read and column differences."""

    table: str
    file: str | None
    rows_read: int
    missing_optional_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def find_input_file(folder: Path, table: str) -> Path | None:
    """Return folder/<table>.csv or folder/<table>.parquet, or None."""
    for suffix in (".csv", ".parquet"):
        candidate = folder / f"{table}{suffix}"
        if candidate.exists():
            return candidate
    return None


def read_csv_header(path: Path) -> list[str]:
    """Return the header row of a UTF-8 CSV file (a byte-order mark is allowed)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: the file is not valid UTF-8 (byte {error.start}). "
            "Save it as UTF-8, or declare its encoding in a mapping file."
        ) from error
    if not header:
        raise InputError(f"{path}: the file is empty; it needs at least a header row.")
    return [name.strip() for name in header]


def _file_columns(connection: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    if path.suffix == ".csv":
        return read_csv_header(path)
    relation = connection.sql("select * from read_parquet(?)", params=[str(path)])
    return list(relation.columns)


def _select_list(table: ContractTable, present: list[str]) -> tuple[str, list[str]]:
    """Build the select list that renames file columns to contract columns,
    filling absent optional columns with nulls."""
    expressions = []
    missing = []
    for column in table.columns:
        if column.name in present:
            expressions.append(f'cast("{column.name}" as varchar) as "{column.name}"')
        else:
            missing.append(column.name)
            expressions.append(f'cast(null as varchar) as "{column.name}"')
    return ", ".join(expressions), missing


def stage_file_in_duckdb(
    connection: duckdb.DuckDBPyConnection, table: ContractTable, path: Path | None, schema: str
) -> TableLoad:
    """Create <schema>.<table> in `connection` from `path` (or empty when the
    file is absent) with every contract column as text."""
    target = f'"{schema}"."{table.name}"'
    if path is None:
        columns = ", ".join(f'"{name}" varchar' for name in table.column_names)
        connection.execute(
            f"create or replace table {target} "
            f"({columns}, _source_file varchar, _source_row bigint, _source_line bigint)"
        )
        logger.info("%s: no input file, created an empty table", table.name)
        return TableLoad(table=table.name, file=None, rows_read=0)

    present = _file_columns(connection, path)
    missing_required = [name for name in table.required_columns if name not in present]
    if missing_required:
        hint = delimiter_hint(present, CsvDialect()) if path.suffix == ".csv" else ""
        raise InputError(
            f"{path}: required column(s) {', '.join(missing_required)} missing; the header has "
            f"{', '.join(present) or 'no columns'}.{hint} Rename the file's columns to the contract "
            "names (models/staging/gtm/_gtm__sources.yml) or describe them in a mapping file."
        )
    select_list, missing_optional = _select_list(table, present)
    ignored = [name for name in present if name not in table.column_names and name not in LINEAGE_COLUMNS]
    if all(name in present for name in LINEAGE_COLUMNS):
        lineage = (
            "cast(_source_file as varchar) as _source_file, cast(_source_row as bigint) as _source_row, "
            "cast(_source_line as bigint) as _source_line"
        )
        parameters = []
    else:
        lineage = "? as _source_file, rowid + 1 as _source_row, cast(null as bigint) as _source_line"
        parameters = [path.name]

    if path.suffix == ".csv":
        reader = (
            "read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true, encoding = 'utf-8')"
        )
    else:
        reader = "read_parquet(?)"
    # rowid follows insertion order, which DuckDB keeps equal to file order
    # while preserve_insertion_order is on (its default).
    connection.execute(f"create or replace temporary table _gtm_file as select * from {reader}", [str(path)])
    connection.execute(
        f"create or replace table {target} as "
        f"select {select_list}, {lineage} "
        "from _gtm_file order by rowid",
        parameters,
    )
    rows = connection.execute(f"select count(*) from {target}").fetchone()[0]
    connection.execute("drop table _gtm_file")
    logger.info("%s: read %d rows from %s", table.name, rows, path)
    return TableLoad(
        table=table.name,
        file=str(path),
        rows_read=rows,
        missing_optional_columns=missing_optional,
        ignored_columns=ignored,
    )


def load_folder_to_duckdb(folder: Path, database: Path, schema: str = "raw") -> list[TableLoad]:
    """Load every contract table found in `folder` into `database` (a DuckDB
    file), replacing earlier raw tables of the same names."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: input folder not found.")
    database.parent.mkdir(parents=True, exist_ok=True)
    contract = load_contract()
    loads = []
    try:
        connection = duckdb.connect(str(database))
    except duckdb.IOException as error:
        raise InputError(
            f"{database}: cannot open the database ({error}). Another process may hold it; "
            "close it and retry."
        ) from error
    try:
        connection.execute(f'create schema if not exists "{schema}"')
        for table in contract.values():
            loads.append(stage_file_in_duckdb(connection, table, find_input_file(folder, table.name), schema))
    except duckdb.Error as error:
        raise InputError(f"{folder}: a file could not be read: {error}") from error
    finally:
        connection.close()
    return loads


def load_folder_to_postgres(folder: Path, connection_kwargs: dict, schema: str = "raw") -> list[TableLoad]:
    """Load every contract table found in `folder` into a PostgreSQL database.

    Files are read and checked by DuckDB exactly as for the embedded target,
    then copied over with COPY, so both targets see the same text values."""
    import psycopg2

    folder = Path(folder)
    contract = load_contract()
    loads = []
    staging = duckdb.connect()
    connection = psycopg2.connect(**connection_kwargs)
    try:
        staging.execute(f'create schema "{schema}"')
        with connection, connection.cursor() as cursor, tempfile.TemporaryDirectory() as scratch:
            cursor.execute(f'create schema if not exists "{schema}"')
            for table in contract.values():
                load = stage_file_in_duckdb(staging, table, find_input_file(folder, table.name), schema)
                loads.append(load)
                columns = ", ".join(f'"{name}" text' for name in table.column_names)
                cursor.execute(f'drop table if exists "{schema}"."{table.name}" cascade')
                cursor.execute(
                    f'create table "{schema}"."{table.name}" '
                    f"({columns}, _source_file text, _source_row bigint, _source_line bigint)"
                )
                dump = Path(scratch) / f"{table.name}.csv"
                staging.execute(
                    f"copy (select * from \"{schema}\".\"{table.name}\" order by _source_row) "
                    "to ? (format csv, header false)",
                    [str(dump)],
                )
                with dump.open(encoding="utf-8") as handle:
                    cursor.copy_expert(
                        f'copy "{schema}"."{table.name}" from stdin with (format csv, header false)', handle
                    )
    finally:
        staging.close()
        connection.close()
    return loads
