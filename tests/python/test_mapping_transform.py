"""Applying a mapping to an export folder: contract files, lineage, value
maps, lookups, templates, exclusions and the mapping-stage quarantine."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gtm_metrics.errors import InputError
from gtm_metrics.mapping import load_mapping
from gtm_metrics.transform import apply_mapping

BROKEN = Path(__file__).parent / "data" / "broken_exports"


def run_mapping(tmp_path: Path, mapping_text: str, files: dict[str, bytes | str], today=date(2024, 12, 31)):
    exports = tmp_path / "exports"
    exports.mkdir()
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (exports / name).write_bytes(data)
    mapping_path = tmp_path / "mapping.yml"
    mapping_path.write_text(textwrap.dedent(mapping_text), encoding="utf-8")
    result = apply_mapping(load_mapping(mapping_path), exports, tmp_path / "contract", today=today)
    return result, tmp_path / "contract"


def read_rows(contract_folder: Path, table: str) -> list[dict]:
    return pq.read_table(contract_folder / f"{table}.parquet").to_pylist()


DEALS_MAPPING = """
mapping_version: 1
name: deals
files:
  deals: {path: deals.csv}
  people: {path: people.csv}
tables:
  opportunities:
    from: deals
    where: {column: Pipeline, not_in: [Partner]}
    columns:
      opportunity_id: {template: "{Id}-{Pipeline}"}
      stage_name:
        column: Stage
        values: {Won: Closed Won, Open: Proposal}
        unmapped: quarantine
      created_at:
        lookup: {file: people, key: Person, value: Since, match: Owner}
      owner_id: Owner
      is_won: {column: Stage, values: {Won: "true", Open: "false"}, unmapped: quarantine}
      currency: {constant: EUR}
"""


def test_value_map_lookup_template_and_constant(tmp_path):
    result, folder = run_mapping(
        tmp_path,
        DEALS_MAPPING,
        {
            "deals.csv": "Id,Stage,Owner,Pipeline\n1,Won,ana,Direct\n2,Open,bo,Direct\n",
            "people.csv": "Person,Since\nana,2024-01-02\nbo,2024-03-04\n",
        },
    )
    rows = read_rows(folder, "opportunities")
    assert [row["opportunity_id"] for row in rows] == ["1-Direct", "2-Direct"]
    assert [row["stage_name"] for row in rows] == ["Closed Won", "Proposal"]
    assert [row["created_at"] for row in rows] == ["2024-01-02 00:00:00", "2024-03-04 00:00:00"]
    assert [row["is_won"] for row in rows] == ["true", "false"]
    assert {row["currency"] for row in rows} == {"EUR"}
    assert result.quarantine == []


def test_unknown_stage_is_quarantined_with_line(tmp_path):
    result, folder = run_mapping(
        tmp_path,
        DEALS_MAPPING,
        {
            "deals.csv": "Id,Stage,Owner,Pipeline\n1,Won,ana,Direct\n2,Verbal Commit,ana,Direct\n",
            "people.csv": "Person,Since\nana,2024-01-02\n",
        },
    )
    assert [row["opportunity_id"] for row in read_rows(folder, "opportunities")] == ["1-Direct"]
    stage_problem = next(entry for entry in result.quarantine if entry.column == "stage_name")
    assert stage_problem.source_file == "deals.csv"
    assert stage_problem.source_row == 2
    assert stage_problem.source_line == 3
    assert stage_problem.value == "Verbal Commit"
    assert "unknown value 'Verbal Commit'" in stage_problem.reason
    assert result.feeds[0].rows_quarantined == 1


def test_excluded_rows_are_counted(tmp_path):
    result, _ = run_mapping(
        tmp_path,
        DEALS_MAPPING,
        {
            "deals.csv": "Id,Stage,Owner,Pipeline\n1,Won,ana,Partner\n2,Won,ana,Direct\n",
            "people.csv": "Person,Since\nana,2024-01-02\n",
        },
    )
    feed = result.feeds[0]
    assert (feed.rows_read, feed.rows_excluded, feed.rows_written, feed.rows_quarantined) == (2, 1, 1, 0)
    assert feed.exclusion_rule == "Pipeline not in ('Partner')"


def test_ambiguous_lookup_is_quarantined(tmp_path):
    result, _ = run_mapping(
        tmp_path,
        DEALS_MAPPING,
        {
            "deals.csv": "Id,Stage,Owner,Pipeline\n1,Won,ana,Direct\n",
            "people.csv": "Person,Since\nana,2024-01-02\nana,2024-05-06\n",
        },
    )
    assert "lookup is ambiguous" in result.quarantine[0].reason


LEADS_MAPPING = (BROKEN / "leads_mapping.yml").read_text(encoding="utf-8")


def test_lineage_points_at_export_lines(tmp_path):
    _, folder = run_mapping(
        tmp_path,
        LEADS_MAPPING,
        {"leads.csv": (BROKEN / "quoted_newlines" / "leads.csv").read_bytes()},
    )
    rows = read_rows(folder, "leads")
    assert [(row["lead_id"], row["_source_row"], row["_source_line"]) for row in rows] == [
        ("L1", 1, 2),
        ("L2", 2, 4),
        ("L3", 3, 7),
    ]
    assert rows[0]["company"] == "Two\nLines"
    assert rows[1]["company"] == "Three\r\nLines\nHere"


def test_byte_order_mark_and_crlf(tmp_path):
    _, folder = run_mapping(tmp_path, LEADS_MAPPING, {"leads.csv": (BROKEN / "bom_crlf" / "leads.csv").read_bytes()})
    rows = read_rows(folder, "leads")
    assert [row["lead_id"] for row in rows] == ["L1", "L2"]
    assert [row["created_at"] for row in rows] == ["2024-07-01 00:00:00", "2024-07-02 00:00:00"]


def test_latin1_file_with_declared_encoding(tmp_path):
    mapping = (BROKEN / "leads_latin1_mapping.yml").read_text(encoding="utf-8")
    _, folder = run_mapping(tmp_path, mapping, {"leads.csv": (BROKEN / "latin1" / "leads.csv").read_bytes()})
    assert [row["company"] for row in read_rows(folder, "leads")] == ["Société Test", "Específica SA"]


def test_latin1_file_without_declared_encoding(tmp_path):
    with pytest.raises(InputError, match=r"line 2: byte 0xe9 is not valid utf-8.*encoding: latin-1"):
        run_mapping(tmp_path, LEADS_MAPPING, {"leads.csv": (BROKEN / "latin1" / "leads.csv").read_bytes()})


def test_future_event_is_quarantined(tmp_path):
    result, folder = run_mapping(
        tmp_path,
        LEADS_MAPPING,
        {"leads.csv": "Lead ID,E-mail,Created Date\nL1,a@example.test,2024-07-01\nL2,b@example.test,2099-01-01\n"},
    )
    assert [row["lead_id"] for row in read_rows(folder, "leads")] == ["L1"]
    assert "is after 2024-12-31" in result.quarantine[0].reason


def test_future_bound_defaults_to_the_day_of_the_run(tmp_path):
    mapping = LEADS_MAPPING.replace('  max_event_date: "2024-12-31"\n', "")
    result, _ = run_mapping(
        tmp_path,
        mapping,
        {"leads.csv": "Lead ID,E-mail,Created Date\nL1,a@example.test,2024-07-02\n"},
        today=date(2024, 7, 1),
    )
    assert "is after 2024-07-01" in result.quarantine[0].reason


def test_record_with_wrong_field_count_is_quarantined(tmp_path):
    result, folder = run_mapping(
        tmp_path,
        LEADS_MAPPING,
        {"leads.csv": "Lead ID,E-mail,Created Date\nL1,a@example.test,2024-07-01,extra\nL2,b@example.test,2024-07-02\n"},
    )
    assert [row["lead_id"] for row in read_rows(folder, "leads")] == ["L2"]
    assert result.quarantine[0].reason == "the record has 4 fields but the header has 3"
    assert result.quarantine[0].source_line == 2


def test_header_only_gives_empty_table(tmp_path):
    result, folder = run_mapping(tmp_path, LEADS_MAPPING, {"leads.csv": "Lead ID,E-mail,Created Date\n"})
    assert read_rows(folder, "leads") == []
    assert result.feeds[0].rows_read == 0


def test_extra_columns_are_reported(tmp_path):
    result, _ = run_mapping(
        tmp_path, LEADS_MAPPING, {"leads.csv": (BROKEN / "extra_columns" / "leads.csv").read_bytes()}
    )
    assert result.unused_columns == {"leads.csv": ["Favourite Colour", "Shoe Size"]}


def test_stale_contract_files_are_removed(tmp_path):
    contract = tmp_path / "contract"
    contract.mkdir()
    (contract / "spend.csv").write_text("spend_id\n1\n", encoding="utf-8")
    run_mapping(tmp_path, LEADS_MAPPING, {"leads.csv": "Lead ID,E-mail,Created Date\n"})
    assert not (contract / "spend.csv").exists()


def test_glob_matching_two_files_is_rejected(tmp_path):
    mapping = LEADS_MAPPING.replace("path: leads.csv", "path: leads*.csv")
    with pytest.raises(InputError, match="matches several files"):
        run_mapping(
            tmp_path,
            mapping,
            {"leads_1.csv": "Lead ID,E-mail,Created Date\n", "leads_2.csv": "Lead ID,E-mail,Created Date\n"},
        )
