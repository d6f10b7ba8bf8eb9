"""Write the quarantine file and the per-file row reconciliation.

Two stages can set a row aside. The mapping step quarantines a record whose
values cannot be converted (it never reaches the database), and staging
quarantines a loaded row that breaks the contract (stg_gtm__quarantine).
quarantine.csv lists both, one line per problem, with the file, record
number, line, column, value and reason. load_summary.csv has one line per
export file and contract table, and every line satisfies

    rows_read = rows_excluded + rows_quarantined_mapping + rows_loaded
    rows_loaded = rows_used + rows_quarantined_staging

rows_used per table is also checked against stg_gtm__row_counts, which
counts the staging model itself, so a row lost between the two stages is
reported instead of going unnoticed.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import duckdb

from gtm_metrics.contract import load_contract
from gtm_metrics.errors import InputError
from gtm_metrics.transform import MappingResult, QuarantineEntry

logger = logging.getLogger(__name__)

QUARANTINE_FILE = "quarantine.csv"
SUMMARY_FILE = "load_summary.csv"


@dataclass
class FileSummary:
    """Row counts of one export file read into one contract table."""

    table: str
    source_file: str
    rows_read: int
    rows_excluded: int = 0
    rows_quarantined_mapping: int = 0
    rows_loaded: int = 0
    rows_quarantined_staging: int | None = None
    rows_used: int | None = None
    exclusion_rule: str = ""

    @property
    def reconciles(self) -> bool:
        read_side = self.rows_read == self.rows_excluded + self.rows_quarantined_mapping + self.rows_loaded
        if self.rows_used is None or self.rows_quarantined_staging is None:
            return read_side
        return read_side and self.rows_loaded == self.rows_used + self.rows_quarantined_staging


@dataclass
class Reconciliation:
    files: list[FileSummary]
    problems: list[str]


def connect(database: Path) -> duckdb.DuckDBPyConnection:
    if not Path(database).exists():
        raise InputError(f"{database}: database not found; run `gtm-metrics load` first.")
    try:
        return duckdb.connect(str(database))
    except duckdb.Error as error:
        raise InputError(f"{database}: cannot open the database ({error}). Another process may hold it.") from error


def find_relation(connection: duckdb.DuckDBPyConnection, name: str, exclude_schema: str = "raw") -> str | None:
    """Return the quoted "schema"."name" of the table or view called `name`
    outside `exclude_schema`, or None."""
    row = connection.execute(
        "select table_schema from information_schema.tables "
        "where table_name = ? and table_schema <> ? order by table_schema limit 1",
        [name, exclude_schema],
    ).fetchone()
    if row is None:
        return None
    return f'"{row[0]}"."{name}"'


def mapping_summaries(result: MappingResult) -> list[FileSummary]:
    return [
        FileSummary(
            table=feed.table,
            source_file=feed.source_file,
            rows_read=feed.rows_read,
            rows_excluded=feed.rows_excluded,
            rows_quarantined_mapping=feed.rows_quarantined,
            rows_loaded=feed.rows_written,
            exclusion_rule=feed.exclusion_rule or "",
        )
        for feed in result.feeds
    ]


def write_quarantine(path: Path, entries: list[QuarantineEntry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [field.name for field in fields(QuarantineEntry)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for entry in entries:
            writer.writerow(asdict(entry))


def read_quarantine(path: Path) -> list[QuarantineEntry]:
    if not path.exists():
        return []
    entries = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {key: (value if value != "" else None) for key, value in row.items()}
            for key in ("source_row", "source_line"):
                values[key] = int(values[key]) if values[key] is not None else None
            entries.append(QuarantineEntry(**values))
    return entries


def write_summary(path: Path, summaries: list[FileSummary]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [field.name for field in fields(FileSummary)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for summary in summaries:
            writer.writerow(asdict(summary))


def read_summary(path: Path) -> list[FileSummary]:
    if not path.exists():
        return []
    summaries = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            summaries.append(
                FileSummary(
                    table=row["table"],
                    source_file=row["source_file"],
                    rows_read=int(row["rows_read"]),
                    rows_excluded=int(row["rows_excluded"]),
                    rows_quarantined_mapping=int(row["rows_quarantined_mapping"]),
                    rows_loaded=int(row["rows_loaded"]),
                    exclusion_rule=row["exclusion_rule"],
                )
            )
    return summaries


def staging_quarantine(connection: duckdb.DuckDBPyConnection, source_schema: str = "raw") -> list[QuarantineEntry]:
    """Rows of stg_gtm__quarantine, one entry per problem, with the column
    and its raw value and, when the raw table records it, the export line."""
    relation = find_relation(connection, "stg_gtm__quarantine", exclude_schema=source_schema)
    if relation is None:
        raise InputError("stg_gtm__quarantine not found in the database; run `gtm-metrics build` first.")
    rows = connection.execute(
        f"select source_table, source_file, source_row, record_id, reason from {relation} "
        "order by source_table, source_file, source_row"
    ).fetchall()
    contract = load_contract()
    raw_rows = _raw_rows(connection, source_schema, relation, contract)
    entries = []
    for table, source_file, source_row, record_id, reason in rows:
        raw = raw_rows.get((table, source_file, source_row), {})
        column_names = contract[table].column_names if table in contract else []
        for column, problem in split_problems(reason, column_names):
            entries.append(
                QuarantineEntry(
                    stage="staging",
                    table=table,
                    source_file=source_file,
                    source_row=source_row,
                    source_line=raw.get("_source_line"),
                    record_id=record_id,
                    column=column,
                    source_column=None,
                    value=raw.get(column) if column else None,
                    reason=problem,
                )
            )
    return entries


def split_problems(reason: str, column_names: list[str]) -> list[tuple[str | None, str]]:
    """Split a staging reason ("a: ...; b: ...") into (column, problem)
    pairs. A problem starts with a contract column name and a colon, so a
    "; " inside a quoted value does not split it."""
    starts = [
        (match.start(1), match.group(1))
        for match in re.finditer(r"(?:^|; )([a-z_]+): ", reason)
        if match.group(1) in column_names
    ]
    if not starts or starts[0][0] != 0:
        return [(None, reason)]
    problems = []
    for position, (start, column) in enumerate(starts):
        end = starts[position + 1][0] - 2 if position + 1 < len(starts) else len(reason)
        problems.append((column, reason[start:end]))
    return problems


def _raw_rows(connection, schema: str, quarantine_relation: str, contract) -> dict[tuple, dict]:
    """Raw values of every quarantined row, keyed by (table, file, row)."""
    found: dict[tuple, dict] = {}
    for table in contract:
        columns = [
            name for (name,) in connection.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [schema, table],
            ).fetchall()
        ]
        if "_source_file" not in columns or "_source_row" not in columns:
            continue
        result = connection.execute(
            f'select raw_rows.* from "{schema}"."{table}" as raw_rows '
            f"inner join {quarantine_relation} as quarantine "
            "on quarantine.source_table = ? "
            "and quarantine.source_file = raw_rows._source_file "
            "and quarantine.source_row = raw_rows._source_row",
            [table],
        )
        names = [description[0] for description in result.description]
        for values in result.fetchall():
            row = dict(zip(names, values))
            found[(table, row["_source_file"], row["_source_row"])] = row
    return found


def reconcile(
    connection: duckdb.DuckDBPyConnection,
    loaded_summaries: list[FileSummary],
    source_schema: str = "raw",
) -> Reconciliation:
    """Complete the per-file summaries with staging counts and check them."""
    problems = []
    loaded = {
        (table, source_file): count
        for table in load_contract()
        for source_file, count in _loaded_counts(connection, source_schema, table)
    }
    quarantine_relation = find_relation(connection, "stg_gtm__quarantine", exclude_schema=source_schema)
    counts_relation = find_relation(connection, "stg_gtm__row_counts", exclude_schema=source_schema)
    if quarantine_relation is None or counts_relation is None:
        raise InputError("staging models not found in the database; run `gtm-metrics build` first.")
    quarantined = {
        (table, source_file): count
        for table, source_file, count in connection.execute(
            f"select source_table, source_file, count(distinct source_row) from {quarantine_relation} "
            "group by source_table, source_file"
        ).fetchall()
    }
    used_by_table = dict(
        connection.execute(f"select source_table, rows_used from {counts_relation}").fetchall()
    )

    summaries = {(summary.table, summary.source_file): summary for summary in loaded_summaries}
    for key, count in loaded.items():
        if key not in summaries:
            summaries[key] = FileSummary(table=key[0], source_file=key[1] or "", rows_read=count, rows_loaded=count)
    for key, summary in summaries.items():
        database_count = loaded.get(key, 0)
        if database_count != summary.rows_loaded:
            problems.append(
                f"{summary.source_file} -> {summary.table}: {summary.rows_loaded} rows were written but "
                f"{database_count} are in the raw table; load the folder again."
            )
        summary.rows_quarantined_staging = quarantined.get(key, 0)
        summary.rows_used = database_count - summary.rows_quarantined_staging

    used_from_files: dict[str, int] = {}
    for summary in summaries.values():
        used_from_files[summary.table] = used_from_files.get(summary.table, 0) + (summary.rows_used or 0)
    for table, used in used_by_table.items():
        if used_from_files.get(table, 0) != used:
            problems.append(
                f"{table}: staging uses {used} rows but the files account for {used_from_files.get(table, 0)}; "
                "a row was lost or counted twice between loading and staging."
            )
    for summary in summaries.values():
        if not summary.reconciles:
            problems.append(f"{summary.source_file} -> {summary.table}: the row counts do not reconcile.")
    ordered = sorted(summaries.values(), key=lambda summary: (summary.table, summary.source_file))
    return Reconciliation(files=ordered, problems=problems)


def _loaded_counts(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple]:
    exists = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0]
    if not exists:
        return []
    return connection.execute(
        f'select _source_file, count(*) from "{schema}"."{table}" group by _source_file'
    ).fetchall()
