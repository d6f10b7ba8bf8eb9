#!/usr/bin/env bash
# The full test suite: set up if needed, install the Debian packages the
# tests need when they are missing (the PostgreSQL server they start on
# 127.0.0.1, Chromium for the dashboard), then run pytest. Extra arguments
# go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/install_system_packages.sh
exec .venv/bin/python -m pytest "$@"
