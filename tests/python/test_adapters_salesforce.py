"""The Salesforce warehouse adapter (models/staging/salesforce) on the
connector's own table shapes.

The fixture tables are Fivetran's dbt_salesforce integration-test seeds from
the shared datasets folder, loaded into a throwaway DuckDB file as the
connector's tables (lead, contact, opportunity, ...). Their values are
hashed and do not join; they prove the schema handling. Small tables written
here pin history mode and the OpportunityHistory object."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from gtm_metrics.errors import ChecksFailedError, DbtInvocationError
from gtm_metrics.workflow import build_adapter_input, build_project
from support_realinput import shared_dataset

pytestmark = pytest.mark.slow

SEED_TABLES = {
    "sf_lead_data": "lead",
    "sf_contact_data": "contact",
    "sf_opportunity_data": "opportunity",
    "sf_opportunity_history_data": "opportunity_history",
    "sf_account_data": "account",
    "sf_user_data": "user",
}


class AdapterBuild:
    def __init__(self, database: Path, schema: str, outcome):
        self.database = database
        self.schema = schema
        self.outcome = outcome

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database)) as connection:
            return connection.execute(sql.replace("{input}", self.schema)).fetchall()

    def column_types(self, table: str) -> dict[str, str]:
        return dict(self.query(
            f"select column_name, data_type from information_schema.columns "
            f"where table_schema = '{self.schema}' and table_name = '{table}'"
        ))


def build_salesforce(workdir: Path, create_tables) -> AdapterBuild:
    """Create the connector tables with `create_tables(connection)`, build
    the adapter, then build staging on what it produced."""
    database = workdir / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema crm_sync")
        create_tables(connection)
    target_path = workdir / "target"
    variables = {"gtm_salesforce_schema": "crm_sync"}
    schema = build_adapter_input(database, target_path, variables, "salesforce")
    outcome = build_project(
        database, target_path, {**variables, "gtm_source_schema": schema}, select="+path:models/staging/gtm",
        # Tests that also read marts are not selected: only staging is built.
        extra_args=["--indirect-selection", "cautious"],
    )
    return AdapterBuild(database, schema, outcome)


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory) -> AdapterBuild:
    folder = shared_dataset("fivetran_salesforce_seeds")

    def create_tables(connection):
        for seed, table in SEED_TABLES.items():
            connection.execute(
                f'create table crm_sync."{table}" as select * from read_csv(?)', [str(folder / f"{seed}.csv")]
            )

    return build_salesforce(tmp_path_factory.mktemp("salesforce_seeds"), create_tables)


def test_seed_build_passes(seeds_build):
    assert seeds_build.outcome.success, seeds_build.outcome.failures
    assert seeds_build.schema.endswith("_gtm_input")


def test_every_contract_table_is_built(seeds_build):
    tables = {row[0] for row in seeds_build.query(
        "select table_name from information_schema.tables where table_schema = '{input}'"
    )}
    assert tables == {
        "accounts", "leads", "lead_activities", "lead_qualifications", "lead_feedback", "opportunities",
        "opportunity_stage_history", "subscriptions", "spend", "product_usage", "exchange_rates",
    }


def test_missing_optional_columns_are_typed_nulls(seeds_build):
    types = seeds_build.column_types("opportunities")
    assert types["loss_reason"] == "VARCHAR"
    assert types["currency"] == "VARCHAR"
    assert types["probability"] == "DECIMAL(18,6)"
    assert types["amount"] == "DECIMAL(38,4)"
    assert types["created_at"] == "TIMESTAMP"
    assert types["close_date"] == "DATE"
    assert seeds_build.query("select count(*) from {input}.opportunities where loss_reason is not null") == [(0,)]
    assert seeds_build.column_types("leads")["lead_score"] == "DECIMAL(18,6)"


def test_renamed_columns(seeds_build):
    rows = seeds_build.query(
        "select lead_id, source_channel, created_at from {input}.leads where lead_id = '00Q1G00000nDnM5UAK'"
    )
    assert len(rows) == 1
    assert str(rows[0][2]) == "2019-11-11 17:23:34"
    account = seeds_build.query("select country from {input}.accounts where account_id = '0015500000Xyy06AAB'")
    assert len(account) == 1


def test_deleted_opportunities_are_kept_and_flagged(seeds_build):
    # Every fixture opportunity is deleted in Salesforce. They stay in staging
    # with is_deleted = true, so a filter on the flag, not on a null, drops them.
    assert seeds_build.query("select count(*), min(is_deleted) from main.stg_gtm__opportunities") == [(9, True)]


def test_inactive_history_version_counts_as_deleted(seeds_build):
    assert seeds_build.query(
        "select is_deleted from {input}.opportunities where opportunity_id = '006q000000HdOhuAAF'"
    ) == [(True,)]


def test_percent_probability_becomes_fraction(seeds_build):
    assert seeds_build.query(
        "select cast(probability as varchar) from {input}.opportunities where opportunity_id = '006q000000Hbmd1AAB'"
    ) == [("1.000000",)]


def test_probability_above_100_percent_is_quarantined(seeds_build):
    assert seeds_build.query(
        "select record_id, reason from main.stg_gtm__quarantine where source_table = 'opportunities'"
    ) == [("006q000000HddohAAB", "probability: value '10.000000' is out of range (expected between 0 and 1)")]


def test_rows_reconcile(seeds_build):
    for table, read, used, quarantined in seeds_build.query(
        "select source_table, rows_read, rows_used, rows_quarantined from main.stg_gtm__row_counts"
    ):
        assert read == used + quarantined, table


def test_history_mode_versions_give_stage_history(seeds_build):
    assert seeds_build.query("select count(*), count(distinct opportunity_id) from main.stg_gtm__opportunity_stage_history") == [(10, 10)]


def test_converted_contact_is_not_a_second_lead(tmp_path):
    def create_tables(connection):
        connection.execute(
            "create table crm_sync.lead as select * from (values "
            "('00Q1', 'ana@example.test', timestamp '2024-02-01 10:00:00', false, '0031', '0061'), "
            "('00Q2', 'bo@example.test', timestamp '2024-02-02 10:00:00', null, null, null)) "
            "as t(id, email, created_date, is_deleted, converted_contact_id, converted_opportunity_id)"
        )
        connection.execute(
            "create table crm_sync.contact as select * from (values "
            "('0031', 'ana@example.test', timestamp '2024-02-03 10:00:00', false), "
            "('0032', 'cy@example.test', timestamp '2024-02-04 10:00:00', false)) "
            "as t(id, email, created_date, is_deleted)"
        )
        connection.execute(
            "create table crm_sync.opportunity as select * from (values "
            "('0061', 'Proposal', timestamp '2024-02-03 10:00:00', 1000.0, 40.0, false, false, false)) "
            "as t(id, stage_name, created_date, amount, probability, is_closed, is_won, is_deleted)"
        )
        connection.execute("create table crm_sync.account as select 'A1' as id")

    build = build_salesforce(tmp_path, create_tables)
    assert build.outcome.success, build.outcome.failures
    assert build.query("select lead_id from main.stg_gtm__leads order by lead_id") == [("0032",), ("00Q1",), ("00Q2",)]
    assert build.query("select lead_id, is_deleted from main.stg_gtm__opportunities") == [("00Q1", False)]
    # Without an opportunity_history table the history is empty, not an error.
    assert build.query("select count(*) from main.stg_gtm__opportunity_stage_history") == [(0,)]


def test_history_mode_opportunity_gives_current_row(tmp_path):
    # Two versions of O1: Proposal at 1000, then Negotiation at 1200 (active).
    def create_tables(connection):
        connection.execute(
            "create table crm_sync.opportunity as select * from (values "
            "('O1', 'Proposal', 1000.0, false, timestamp '2024-01-01 00:00:00', timestamp '2024-01-01 00:00:00'), "
            "('O1', 'Negotiation', 1200.0, true, timestamp '2024-02-01 00:00:00', timestamp '2024-01-01 00:00:00')) "
            "as t(id, stage_name, amount, _fivetran_active, _fivetran_start, created_date)"
        )
        connection.execute("create table crm_sync.opportunity_history as select * from crm_sync.opportunity")
        connection.execute(
            "create table crm_sync.lead as select 'L1' as id, timestamp '2024-01-01 00:00:00' as created_date"
        )
        connection.execute("create table crm_sync.account as select 'A1' as id")

    build = build_salesforce(tmp_path, create_tables)
    assert build.outcome.success, build.outcome.failures
    assert build.query(
        "select opportunity_id, stage_name, cast(amount as varchar), is_deleted from main.stg_gtm__opportunities"
    ) == [("O1", "Negotiation", "1200.0000", False)]
    assert build.query(
        "select stage_name, cast(entered_at as varchar) from main.stg_gtm__opportunity_stage_history order by entered_at"
    ) == [("Proposal", "2024-01-01 00:00:00"), ("Negotiation", "2024-02-01 00:00:00")]


def test_opportunity_history_object(tmp_path):
    def create_tables(connection):
        connection.execute(
            "create table crm_sync.opportunity_history as select * from (values "
            "('H1', 'O3', 'Closed Lost', timestamp '2024-05-01 00:00:00', false), "
            "('H2', 'O3', 'Negotiation', timestamp '2024-05-10 00:00:00', false), "
            "('H3', 'O3', 'Closed Won', timestamp '2024-05-20 00:00:00', false), "
            "('H4', 'O3', 'Proposal', timestamp '2024-05-21 00:00:00', true)) "
            "as t(id, opportunity_id, stage_name, created_date, is_deleted)"
        )
        connection.execute(
            "create table crm_sync.opportunity as select 'O3' as id, 'Closed Won' as stage_name, "
            "timestamp '2024-04-01 00:00:00' as created_date"
        )
        connection.execute(
            "create table crm_sync.lead as select 'L1' as id, timestamp '2024-01-01 00:00:00' as created_date"
        )
        connection.execute("create table crm_sync.account as select 'A1' as id")

    build = build_salesforce(tmp_path, create_tables)
    assert build.outcome.success, build.outcome.failures
    assert build.query(
        "select history_id, stage_name from main.stg_gtm__opportunity_stage_history order by entered_at"
    ) == [("H1", "Closed Lost"), ("H2", "Negotiation"), ("H3", "Closed Won")]


def test_missing_connector_table_names_the_variable(tmp_path):
    def create_tables(connection):
        connection.execute("create table crm_sync.account as select 'A1' as id")

    with pytest.raises((ChecksFailedError, DbtInvocationError), match="gtm_salesforce_schema"):
        build_salesforce(tmp_path, create_tables)
