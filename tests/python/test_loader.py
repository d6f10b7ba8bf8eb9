"""The loader reads contract-shaped files as text and rejects only what no
row-level quarantine can absorb."""

from __future__ import annotations

import duckdb
import pytest

from gtm_metrics.contract import load_contract
from gtm_metrics.errors import InputError
from gtm_metrics.loader import load_folder_to_duckdb

LEADS_HEADER = (
    "lead_id,email,first_name,last_name,company,account_id,source_channel,campaign,"
    "lead_score,segment,created_at,is_deleted,merged_into_lead_id"
)


def write(folder, name, text, encoding="utf-8"):
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


def test_missing_required_column_names_file_and_column(tmp_path):
    write(tmp_path / "in", "leads.csv", "lead_id,email\nL1,a@example.test\n")
    with pytest.raises(InputError) as raised:
        load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")
    message = str(raised.value)
    assert "leads.csv" in message
    assert "created_at" in message


def test_absent_optional_columns_load_as_null(tmp_path):
    write(tmp_path / "in", "leads.csv", "lead_id,created_at\nL1,2024-01-01\n")
    loads = {load.table: load for load in load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")}
    assert "email" in loads["leads"].missing_optional_columns
    with duckdb.connect(str(tmp_path / "db.duckdb")) as connection:
        assert connection.execute("select lead_id, email from raw.leads").fetchall() == [("L1", None)]


def test_values_stay_text_with_leading_zeros(tmp_path):
    write(tmp_path / "in", "leads.csv", f"{LEADS_HEADER}\n000123,,,,,,,,007.50,,2024-01-01,,\n")
    load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")
    with duckdb.connect(str(tmp_path / "db.duckdb")) as connection:
        row = connection.execute("select lead_id, lead_score, _source_file, _source_row from raw.leads").fetchone()
    assert row == ("000123", "007.50", "leads.csv", 1)


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    write(tmp_path / "in", "leads.csv", "\ufeff" + LEADS_HEADER + "\r\nL1,,,,,,,,,,2024-01-01,,\r\n")
    loads = {load.table: load for load in load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")}
    assert loads["leads"].rows_read == 1
    assert loads["leads"].missing_optional_columns == []


def test_non_utf8_file_is_rejected_with_advice(tmp_path):
    write(tmp_path / "in", "leads.csv", LEADS_HEADER + "\nL1,,,,Société,,,,,,2024-01-01,,\n", encoding="latin-1")
    with pytest.raises(InputError, match="not valid UTF-8"):
        load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")


def test_empty_file_is_rejected(tmp_path):
    write(tmp_path / "in", "leads.csv", "")
    with pytest.raises(InputError, match="empty"):
        load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")


def test_missing_files_give_empty_tables(tmp_path):
    (tmp_path / "in").mkdir()
    loads = load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")
    assert {load.table for load in loads} == set(load_contract())
    assert all(load.rows_read == 0 and load.file is None for load in loads)


def test_missing_folder_is_rejected(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_folder_to_duckdb(tmp_path / "absent", tmp_path / "db.duckdb")


def test_quoted_newline_stays_in_one_value(tmp_path):
    write(tmp_path / "in", "leads.csv", f'{LEADS_HEADER}\nL1,,,,"two\nlines",,,,,,2024-01-01,,\nL2,,,,,,,,,,2024-01-02,,\n')
    load_folder_to_duckdb(tmp_path / "in", tmp_path / "db.duckdb")
    with duckdb.connect(str(tmp_path / "db.duckdb")) as connection:
        rows = connection.execute("select lead_id, company, _source_row from raw.leads order by _source_row").fetchall()
    assert rows == [("L1", "two\nlines", 1), ("L2", None, 2)]


def test_input_contract_page_is_current():
    from gtm_metrics.contract import contract_markdown, project_dir

    page = (project_dir() / "docs" / "input-contract.md").read_text(encoding="utf-8")
    assert page == contract_markdown(), "regenerate with: python -m gtm_metrics.contract > docs/input-contract.md"
