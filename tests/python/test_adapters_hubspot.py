"""The HubSpot warehouse adapter (models/staging/hubspot) on the connector's
own table shapes.

The fixture tables are Fivetran's dbt_hubspot integration-test seeds from
the shared datasets folder, loaded into a throwaway DuckDB file as the
connector's tables. Their deals have no stage and do not join; they prove
the schema handling. Small tables written here pin stage labels, merges
and history-mode duplicates."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from gtm_metrics.workflow import build_adapter_input, build_project
from support_realinput import shared_dataset

pytestmark = pytest.mark.slow

SEED_TABLES = {
    "contact_data": "contact",
    "company_data": "company",
    "deal_data": "deal",
    "deal_stage_data": "deal_stage",
    "deal_pipeline_stage_data": "deal_pipeline_stage",
    "deal_company_data": "deal_company",
    "deal_contact_data": "deal_contact",
    "merged_deal_data": "merged_deal",
}


class AdapterBuild:
    def __init__(self, database: Path, schema: str, outcome):
        self.database = database
        self.schema = schema
        self.outcome = outcome

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database)) as connection:
            return connection.execute(sql.replace("{input}", self.schema)).fetchall()


def build_hubspot(workdir: Path, create_tables) -> AdapterBuild:
    database = workdir / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema crm_sync")
        create_tables(connection)
    target_path = workdir / "target"
    variables = {"gtm_hubspot_schema": "crm_sync"}
    schema = build_adapter_input(database, target_path, variables, "hubspot")
    outcome = build_project(
        database, target_path, {**variables, "gtm_source_schema": schema}, select="+path:models/staging/gtm",
        # Tests that also read marts are not selected: only staging is built.
        extra_args=["--indirect-selection", "cautious"],
    )
    return AdapterBuild(database, schema, outcome)


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory) -> AdapterBuild:
    folder = shared_dataset("fivetran_hubspot_seeds")

    def create_tables(connection):
        for seed, table in SEED_TABLES.items():
            connection.execute(
                f'create table crm_sync."{table}" as select * from read_csv(?)', [str(folder / f"{seed}.csv")]
            )

    return build_hubspot(tmp_path_factory.mktemp("hubspot_seeds"), create_tables)


def test_seed_build_passes(seeds_build):
    assert seeds_build.outcome.success, seeds_build.outcome.failures


def test_contacts_become_leads(seeds_build):
    assert seeds_build.query("select count(*) from main.stg_gtm__leads") == [(22,)]


def test_merged_contact_points_at_survivor(seeds_build):
    # Contact 78971951 lists 76340251;46897301;76226001 as merged into it.
    assert seeds_build.query(
        "select merged_into_lead_id from main.stg_gtm__leads where lead_id = '76340251'"
    ) == [("78971951",)]
    assert seeds_build.query(
        "select merged_into_lead_id from main.stg_gtm__leads where lead_id = '78971951'"
    ) == [(None,)]


def test_missing_optional_contact_properties_are_typed_nulls(seeds_build):
    types = dict(seeds_build.query(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = '{input}' and table_name = 'leads'"
    ))
    assert types["source_channel"] == "VARCHAR"
    assert types["lead_score"] == "DECIMAL(18,6)"
    assert seeds_build.query("select count(*) from {input}.leads where source_channel is not null") == [(0,)]


def test_deals_without_stage_are_quarantined_and_counted(seeds_build):
    # Every fixture deal lacks deal_pipeline_stage_id, so none is usable.
    assert seeds_build.query(
        "select rows_read, rows_used, rows_quarantined from main.stg_gtm__row_counts "
        "where source_table = 'opportunities'"
    ) == [(44, 0, 44)]
    reasons = {row[0] for row in seeds_build.query(
        "select reason from main.stg_gtm__quarantine where source_table = 'opportunities'"
    )}
    assert reasons == {"stage_name: required value is missing"}


def test_unknown_stage_ids_keep_their_id(seeds_build):
    assert seeds_build.query(
        "select stage_name from main.stg_gtm__opportunity_stage_history where opportunity_id = '3954699413'"
    ) == [("f66ca9bc5a02c2f1513ce83f0a0e117d",)]


def create_small_crm(connection) -> None:
    """Two pipelines' stages (one deleted), three deals (D9 merged into D1),
    stage history written twice by history mode."""
    connection.execute(
        "create table crm_sync.deal_pipeline_stage as select * from (values "
        "('st_new', 'New', false, false, 0.1, false), "
        "('st_old', 'Legacy Qualify', false, false, 0.2, true), "
        "('st_won', 'Closed Won', true, true, 1.0, false)) "
        "as t(stage_id, label, is_closed, closed_won, probability, _fivetran_deleted)"
    )
    connection.execute(
        "create table crm_sync.deal as select * from (values "
        "(1, 'default', 'st_won', 5000.0, timestamp '2024-01-02 09:00:00', '2024-01-20', false), "
        "(2, 'default', 'st_old', null, timestamp '2024-01-03 09:00:00', null, false), "
        "(9, 'default', 'st_new', 5000.0, timestamp '2024-01-04 09:00:00', null, false), "
        "(7, 'default', 'st_new', 10.0, timestamp '2024-01-05 09:00:00', null, true)) "
        "as t(deal_id, deal_pipeline_id, deal_pipeline_stage_id, property_amount, property_createdate, "
        "property_closedate, is_deleted)"
    )
    connection.execute("create table crm_sync.merged_deal as select 1 as deal_id, 9 as merged_deal_id")
    connection.execute(
        "create table crm_sync.deal_stage as select * from (values "
        "(1, 'st_new', timestamp '2024-01-02 09:00:00', false), "
        "(1, 'st_new', timestamp '2024-01-02 09:00:00', true), "
        "(1, 'st_won', timestamp '2024-01-09 09:00:00', true), "
        "(2, 'st_old', timestamp '2023-05-01 00:00:00', true)) "
        "as t(deal_id, value, date_entered, _fivetran_active)"
    )
    connection.execute(
        "create table crm_sync.deal_contact as select * from (values (1, 400), (1, 300)) as t(deal_id, contact_id)"
    )
    connection.execute(
        "create table crm_sync.contact as select 300 as id, timestamp '2024-01-01 00:00:00' as property_createdate"
    )
    connection.execute("create table crm_sync.company as select 10 as id")


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> AdapterBuild:
    return build_hubspot(tmp_path_factory.mktemp("hubspot_small"), create_small_crm)


def test_small_build_passes(small_build):
    assert small_build.outcome.success, small_build.outcome.failures


def test_stage_label_and_outcome_from_stage(small_build):
    assert small_build.query(
        "select opportunity_id, stage_name, is_closed, is_won, cast(close_date as varchar), lead_id "
        "from main.stg_gtm__opportunities where opportunity_id = '1'"
    ) == [("1", "Closed Won", True, True, "2024-01-20", "300")]


def test_deleted_stage_keeps_its_label(small_build):
    assert small_build.query(
        "select stage_name from main.stg_gtm__opportunities where opportunity_id = '2'"
    ) == [("Legacy Qualify",)]
    assert small_build.query(
        "select stage_name from main.stg_gtm__opportunity_stage_history where opportunity_id = '2'"
    ) == [("Legacy Qualify",)]


def test_merged_deal_points_at_survivor(small_build):
    assert small_build.query(
        "select merged_into_opportunity_id from main.stg_gtm__opportunities where opportunity_id = '9'"
    ) == [("1",)]


def test_deleted_deal_is_kept_and_flagged(small_build):
    assert small_build.query(
        "select is_deleted from main.stg_gtm__opportunities where opportunity_id = '7'"
    ) == [(True,)]


def test_history_rows_labelled_by_own_stage_once(small_build):
    assert small_build.query(
        "select stage_name, cast(entered_at as varchar) from main.stg_gtm__opportunity_stage_history "
        "where opportunity_id = '1' order by entered_at"
    ) == [("New", "2024-01-02 09:00:00"), ("Closed Won", "2024-01-09 09:00:00")]


def test_stage_probability_fills_deal_probability(small_build):
    assert small_build.query(
        "select cast(probability as varchar) from main.stg_gtm__opportunities where opportunity_id = '9'"
    ) == [("0.100000",)]
