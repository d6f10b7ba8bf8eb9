"""Read one exported CSV file as text, keeping where each record starts.

Every value stays text: ids keep their leading zeros and a value such as
4.01E+31 stays as written. A record with more or fewer fields than the
header is returned as a problem row, so it can be quarantined and counted.
A file that cannot be read at all raises InputError naming the file, the
line and what to change in the mapping.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from gtm_metrics.errors import InputError

logger = logging.getLogger(__name__)

# Delimiters suggested when a header has a single column that contains one.
_LIKELY_DELIMITERS = (";", "\t", "|", ",")


@dataclass(frozen=True)
class CsvDialect:
    """Encoding, delimiter and quote character of an export file."""

    encoding: str = "utf-8"
    delimiter: str = ","
    quote: str = '"'


@dataclass
class ExportRecord:
    """One data record: its 1-based number (header not counted), the line
    it starts on, and its values by header name (None when the record has a
    wrong number of fields)."""

    row_number: int
    line_number: int
    values: dict[str, str] | None
    problem: str | None = None


@dataclass
class ExportFile:
    path: Path
    header: list[str]
    records: list[ExportRecord] = field(default_factory=list)


def decode_file(path: Path, encoding: str) -> str:
    """Return the text of `path`. With a UTF-8 encoding a byte-order mark is
    dropped; a byte that is invalid in the encoding raises InputError with
    its line number."""
    data = path.read_bytes()
    codec = codecs.lookup(encoding).name
    if codec == "utf-8":
        codec = "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line}: byte 0x{data[error.start]:02x} is not valid {encoding}. "
            "Declare the file's encoding in the mapping (for example encoding: latin-1), "
            "or save the file as UTF-8."
        ) from error


def read_export(path: Path, dialect: CsvDialect) -> ExportFile:
    """Read a delimited text file with a header row."""
    if not path.is_file():
        raise InputError(f"{path}: file not found.")
    text = decode_file(path, dialect.encoding)
    if not text.strip():
        raise InputError(f"{path}: the file is empty; it needs at least a header row.")

    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=dialect.delimiter,
        quotechar=dialect.quote,
        doublequote=True,
        strict=True,
    )
    try:
        header = next(reader)
    except csv.Error as error:
        raise InputError(f"{path}: line 1: the header cannot be parsed ({error}).") from error
    header = [name.strip() for name in header]
    _check_header(path, header)

    export = ExportFile(path=path, header=header)
    line_of_next_record = reader.line_num + 1
    row_number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise InputError(
                f"{path}: the record starting on line {line_of_next_record} cannot be parsed ({error} "
                f"at line {reader.line_num}). Check for an unclosed quote or a wrong quote character in the mapping."
            ) from error
        start_line = line_of_next_record
        line_of_next_record = reader.line_num + 1
        if not fields:
            # csv returns an empty list for a blank line, which is not a record.
            continue
        row_number += 1
        if len(fields) != len(header):
            export.records.append(
                ExportRecord(
                    row_number=row_number,
                    line_number=start_line,
                    values=None,
                    problem=f"the record has {len(fields)} fields but the header has {len(header)}",
                )
            )
            continue
        export.records.append(
            ExportRecord(row_number=row_number, line_number=start_line, values=dict(zip(header, fields)))
        )
    logger.info("%s: read %d records", path, row_number)
    return export


def _check_header(path: Path, header: list[str]) -> None:
    if any(name == "" for name in header):
        position = header.index("") + 1
        raise InputError(f"{path}: line 1: header column {position} has no name.")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise InputError(f"{path}: line 1: the header repeats the column name(s) {', '.join(duplicates)}.")


def delimiter_hint(header: list[str], dialect: CsvDialect) -> str:
    """Return a sentence suggesting another delimiter when a one-column
    header contains a likely delimiter, else an empty string."""
    if len(header) != 1:
        return ""
    for candidate in _LIKELY_DELIMITERS:
        if candidate != dialect.delimiter and candidate in header[0]:
            shown = "\\t" if candidate == "\t" else candidate
            return f" The header reads as one column; the file seems to use '{shown}' as delimiter (set delimiter in the mapping)."
    return ""
