#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite against real services:
# the project's local Elasticsearch node, PostgreSQL, Redis, an SMTP server on loopback (started by the
# tests themselves with aiosmtpd) and Debian's Chromium. Extra arguments go to pytest.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
cd "$HERE"
bash scripts/setup.sh
LW_CACHE="${LW_CACHE:-$HOME/.cache/laborwatch}"
# shellcheck disable=SC1091
source "$LW_CACHE/venv/bin/activate"
export LW_STATE_DIR="${LW_STATE_DIR:-$(mktemp -d /tmp/lw-test-state.XXXXXX)}"
chmod 755 "$LW_STATE_DIR"
source scripts/services.sh
started_es=0
cleanup() {
  if [ "$started_es" = 1 ]; then laborwatch es down || true; fi
  stop_services
}
trap cleanup EXIT
if [ -z "${LW_ES_URL:-}" ]; then
  laborwatch es up && started_es=1
fi
start_redis
start_postgres
echo "[test $(date +%H:%M:%S) +${SECONDS}s] ruff (lint gate)"
ruff check .
echo "[test $(date +%H:%M:%S) +${SECONDS}s] mypy (type gate; scope and plugins in pyproject.toml [tool.mypy])"
mypy
echo "[test $(date +%H:%M:%S) +${SECONDS}s] services up; running pytest"
set +e
python -m pytest "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "pytest collected no tests"; fi
echo "[test $(date +%H:%M:%S) +${SECONDS}s] pytest exit code $rc"
exit "$rc"
