"""gtm_metrics installed as a dbt package into a throwaway project, which
extends it without forking it, as docs/extending.md describes:

- its raw tables live in its own schema (crm_raw), set by var gtm_source_schema;
- it changes the MQL rule with var funnel_mql_min_lead_score, and the stage
  mapping with a seed of its own that replaces the package's (Proposal no
  longer counts as qualified pipeline);
- it adds a dimension to the feedback metrics (var feedback_dimensions) and a
  model of its own, metrics_regional, with a region dimension, unioned into
  `metrics` through var catalog_extra_metrics_models;

and the catalog shows exactly what changed: only the nodes that read a
changed var or seed get new hashes, definitions stay as they were, and the
new metric has a definition of its own.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from gtm_metrics.catalog import compute_hashes, export_catalog, load_manifest
from gtm_metrics.contract import project_dir
from gtm_metrics.dbt_runner import run_dbt
from gtm_metrics.loader import load_folder_to_duckdb

pytestmark = pytest.mark.slow

PROJECT = project_dir()

EXTENSION_FILES = {
    "dbt_project.yml": """
        name: gtm_extension
        version: "1.0.0"
        config-version: 2
        profile: gtm_extension
        model-paths: ["models"]
        seed-paths: ["seeds"]
        flags:
          send_anonymous_usage_stats: false
        vars:
          # (a) the raw contract tables of this project
          gtm_source_schema: crm_raw
          # (b) a stricter MQL version 2 fit than the package's 60
          funnel_mql_min_lead_score: 80
          # (c) a further dimension of the feedback metrics, and a model of
          # this project unioned into the metrics table
          feedback_dimensions: [channel, campaign, segment]
          catalog_extra_metrics_models: [metrics_regional]
        seeds:
          gtm_extension:
            +quote_columns: false
            +column_types:
              channel: varchar
              region: varchar
            # (b) this project's stage mapping replaces the package's seed
            gtm_stage_mapping:
              +column_types: {pipeline_id: varchar, stage_name: varchar, canonical_stage: varchar,
                              stage_order: integer, is_open: boolean, is_won: boolean, is_lost: boolean,
                              is_qualified: boolean, is_retired: boolean}
          gtm_metrics:
            pipeline:
              gtm_stage_mapping:
                +enabled: false
    """,
    "packages.yml": """
        packages:
          - local: {project}
    """,
    "profiles.yml": """
        gtm_extension:
          target: duckdb
          outputs:
            duckdb:
              type: duckdb
              path: {database}
              schema: main
              threads: 2
              settings:
                TimeZone: UTC
    """,
    "seeds/channel_regions.csv": """
        channel,region
        paid_search,americas
        organic,americas
        events,emea
        referral,emea
        outbound,apac
    """,
    "models/metrics_regional.sql": """
        -- Handoffs per month and sales region, in the long metric shape. A
        -- package macro called here reads this project's vars, not the
        -- package's defaults, so the month comes from dbt.date_trunc.
        with

        fct_lead_handoffs as (
            select * from {{ ref('fct_lead_handoffs') }}
        ),

        channel_regions as (
            select * from {{ ref('channel_regions') }}
        ),

        handoffs_by_region as (
            select
                cast({{ dbt.date_trunc('month', 'fct_lead_handoffs.handed_off_date') }} as date) as period_start,
                coalesce(channel_regions.region, '(unknown)') as region,
                count(*) as handoffs
            from fct_lead_handoffs
            left join channel_regions
                on fct_lead_handoffs.channel = channel_regions.channel
            group by
                cast({{ dbt.date_trunc('month', 'fct_lead_handoffs.handed_off_date') }} as date),
                coalesce(channel_regions.region, '(unknown)')
        )

        select
            cast('regional_handoffs' as text) as metric_name,
            cast(1 as integer) as metric_version,
            cast('month' as text) as grain,
            cast(period_start as date) as period_start,
            cast('region' as text) as dimension_name,
            cast(region as text) as dimension_value,
            cast(handoffs as double precision) as value,
            cast(null as double precision) as numerator,
            cast(null as double precision) as denominator,
            cast('count' as text) as unit
        from handoffs_by_region
    """,
    "models/metrics_regional.yml": """
        version: 2
        models:
          - name: metrics_regional
            description: One row per month and sales region with the handoffs of that region.
            config:
              meta:
                metrics:
                  - {name: regional_handoffs, version: 1, label: Handoffs by region, unit: count,
                     numerator: null, denominator: null, time_dimension: handoff date,
                     filters: as fct_lead_handoffs, owner_group: marketing, docs_block: regional_handoffs}
    """,
    "models/regional.md": """
        {% docs regional_handoffs %}
        Leads handed to sales in the month, by the sales region of their channel.
        {% enddocs %}
    """,
}


def write_extension_project(root: Path, database: Path) -> None:
    for relative, text in EXTENSION_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        content = textwrap.dedent(text).lstrip("\n")
        if relative in ("packages.yml", "profiles.yml"):
            content = content.replace("{project}", str(PROJECT)).replace("{database}", str(database))
        path.write_text(content, encoding="utf-8")

    # The package's stage mapping with Proposal no longer qualified.
    mapping = (PROJECT / "seeds" / "pipeline" / "gtm_stage_mapping.csv").read_text(encoding="utf-8").splitlines()
    header = mapping[0].split(",")
    stage, qualified = header.index("stage_name"), header.index("is_qualified")
    rows = []
    for line in mapping[1:]:
        cells = line.split(",")
        if cells[stage] == "Proposal":
            cells[qualified] = "false"
        rows.append(",".join(cells))
    (root / "seeds" / "gtm_stage_mapping.csv").write_text("\n".join([mapping[0], *rows]) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def extension(tmp_path_factory):
    """The throwaway project, built, with its catalog exported; and the
    hashes of the standalone project compiled just before it."""
    root = tmp_path_factory.mktemp("extension")
    database = root / "extension.duckdb"
    write_extension_project(root / "project", database)
    load_folder_to_duckdb(PROJECT / "demo_data", database, schema="crm_raw")

    standalone_database = root / "standalone.duckdb"
    load_folder_to_duckdb(PROJECT / "demo_data", standalone_database)
    run_dbt(["compile"], database=standalone_database, target_path=root / "standalone_target", project=PROJECT)
    standalone = compute_hashes(load_manifest(root / "standalone_target"))

    project = root / "project"
    target = project / "target"
    installed = dbtRunner().invoke(["deps", "--project-dir", str(project), "--profiles-dir", str(project)])
    assert installed.success, installed.exception
    assert (project / "dbt_packages" / "gtm_metrics" / "dbt_project.yml").exists()
    # The package's unit tests pin its own default settings, which this
    # project changes on purpose, so they run in the package's CI only.
    outcome = run_dbt(
        ["build", "--exclude", "package:gtm_metrics,test_type:unit"],
        project=project, target_path=target, raise_on_failure=False,
    )
    export = export_catalog(database, target, root / "catalog", project=project)
    document = json.loads(export.json_path.read_text(encoding="utf-8"))
    return {
        "outcome": outcome,
        "database": database,
        "standalone": standalone,
        "catalog": {(row["metric_name"], row["metric_version"]): row for row in document["metrics"]},
        "models": document["models"],
    }


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database)) as connection:
        return connection.execute(sql).fetchall()


def node_hashes(models) -> dict[str, str]:
    """Return the compiled SQL hash (seeds: file checksum) of every node
    upstream of the given computing models, by unique_id."""
    hashes = {}
    for model in models:
        for entry in model["upstream"] if isinstance(model, dict) else model.upstream:
            unique_id, digest = (entry["unique_id"], entry["sha256"]) if isinstance(entry, dict) else entry
            hashes[unique_id] = digest
    return hashes


def test_extension_builds(extension):
    assert extension["outcome"].failures == []
    assert extension["outcome"].success


def test_extension_reads_own_source_schema(extension):
    leads = query(extension["database"], "select count(*) from main.stg_gtm__leads")[0][0]
    raw_leads = query(extension["database"], "select count(*) from crm_raw.leads")[0][0]
    assert leads > 0
    assert leads <= raw_leads


def test_stricter_mql_rule_applies(extension):
    scores = query(
        extension["database"],
        "select min(lead_score) from main.fct_lead_lifecycle where is_mql and is_fit "
        "and lower(segment) not in ('mid_market', 'enterprise')",
    )[0][0]
    assert scores is None or scores >= 80


def test_custom_dimensions_in_metrics(extension):
    dimensions = {
        row[0] for row in query(
            extension["database"], "select distinct dimension_name from main.metrics where computed_by = 'metrics_feedback'"
        )
    }
    assert "segment" in dimensions
    regions = query(
        extension["database"],
        "select count(*) from main.metrics where metric_name = 'regional_handoffs' and dimension_name = 'region'",
    )[0][0]
    assert regions > 0


def test_catalog_lists_extension_metric(extension):
    row = extension["catalog"][("regional_handoffs", 1)]
    assert row["computed_by"] == "metrics_regional"
    assert row["hash_status"] == "computed"
    assert row["definition"].startswith("Leads handed to sales in the month")


def test_definitions_unchanged_by_settings(extension):
    standalone = {(m.metric_name, int(m.metric_version)): m.definition_sha256 for m in extension["standalone"].metrics}
    changed = sorted(
        f"{name} v{version}"
        for (name, version), row in extension["catalog"].items()
        if (name, version) in standalone and row["definition_sha256"] != standalone[(name, version)]
    )
    assert changed == []
    assert set(standalone) | {("regional_handoffs", 1)} == set(extension["catalog"])


def test_only_nodes_reading_changes_move(extension):
    """The MQL threshold is read by fct_lead_lifecycle and the feedback
    dimensions by metrics_feedback: exactly their compiled SQL hashes
    differ from the standalone project's. The package's stage mapping seed
    is replaced by the project's own."""
    standalone = node_hashes(extension["standalone"].models)
    installed = node_hashes(extension["models"].values())
    moved = sorted(unique_id for unique_id in standalone if installed.get(unique_id) != standalone[unique_id])
    assert moved == [
        "model.gtm_metrics.fct_lead_lifecycle",
        "model.gtm_metrics.metrics_feedback",
        "seed.gtm_metrics.gtm_stage_mapping",
    ]
    added = sorted(set(installed) - set(standalone))
    assert added == ["model.gtm_extension.metrics_regional", "seed.gtm_extension.channel_regions",
                     "seed.gtm_extension.gtm_stage_mapping"]


def test_stage_mapping_change_applies(extension):
    qualified = query(
        extension["database"],
        "select count(*) from main.fct_opportunities where is_qualified and canonical_stage = 'proposal'",
    )[0][0]
    assert qualified == 0


def test_mql_rule_change_moves_upstream_hash(extension):
    standalone = {model.unique_id: model for model in extension["standalone"].models}
    for version in (1, 2):
        row = extension["catalog"][("new_mqls", version)]
        before = standalone["model.gtm_metrics." + row["computed_by"]]
        assert row["compiled_sql_sha256"] == before.compiled_sql_sha256
        assert row["upstream_sql_sha256"] != before.upstream_sql_sha256


def test_feedback_dimension_moves_sql_hash(extension):
    standalone = {model.unique_id: model for model in extension["standalone"].models}
    row = extension["catalog"][("feedback_acceptance_rate", 1)]
    assert row["compiled_sql_sha256"] != standalone["model.gtm_metrics.metrics_feedback"].compiled_sql_sha256


def test_other_metric_models_keep_sql_hash(extension):
    """The other metrics models read no changed var, so their own SQL hash
    stays; their upstream hash moves with fct_lead_lifecycle, which each
    of them reads."""
    standalone = {model.unique_id: model.compiled_sql_sha256 for model in extension["standalone"].models}
    for model_name in ("metrics_funnel", "metrics_pipeline", "metrics_revenue"):
        unique_id = f"model.gtm_metrics.{model_name}"
        assert extension["models"][unique_id]["compiled_sql_sha256"] == standalone[unique_id], model_name
