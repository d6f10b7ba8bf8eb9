#!/usr/bin/env bash
# The full test suite: set up if needed, make sure the PostgreSQL server
# binaries the tests start on 127.0.0.1 are present, then run pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/install_system_packages.sh
exec .venv/bin/python -m pytest "$@"
