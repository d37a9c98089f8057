#!/usr/bin/env bash
# Set up (idempotent), start the local Elasticsearch node, and run the end-to-end demo on the bundled sample site.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
cd "$HERE"
bash scripts/setup.sh
LW_CACHE="${LW_CACHE:-$HOME/.cache/laborwatch}"
# shellcheck disable=SC1091
source "$LW_CACHE/venv/bin/activate"
if [ -z "${LW_ES_URL:-}" ]; then laborwatch es up; fi
laborwatch demo "$@"
