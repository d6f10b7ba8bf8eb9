#!/usr/bin/env bash
# Install the Debian packages the tests need when they are missing:
# the PostgreSQL server (tests start a throwaway one on 127.0.0.1) and
# Chromium (tests open the HTML report in it, headless and offline).
# Needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if ! [ -x /usr/bin/chromium ] && ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
fi
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "installing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
