#!/usr/bin/env bash
# The main job on the embedded default: set up if needed, load the shipped
# demo data into a local DuckDB file, build and test the whole dbt project,
# validate, export, draw the dashboard and print where every output is.
# Extra arguments go to `gtm-metrics run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/gtm-metrics run "$@"
