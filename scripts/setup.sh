#!/usr/bin/env bash
# Create .venv with the pinned packages and the project in editable mode.
# Idempotent: it reinstalls only when requirements.lock or pyproject.toml
# changed since the last successful install, so later runs work offline.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin="${PYTHON:-python3.11}"
if ! command -v "$python_bin" >/dev/null 2>&1; then
    echo "error: $python_bin not found; install Python 3.11 or set PYTHON to its path" >&2
    exit 2
fi

stamp=.venv/.gtm-installed
wanted=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    exit 0
fi

echo "setting up .venv (first run only)" >&2
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
echo "$wanted" > "$stamp"
