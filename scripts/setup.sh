#!/usr/bin/env bash
# Idempotent set-up into a cached environment outside the repository.
#   LW_CACHE   (default ~/.cache/laborwatch): venv, Elasticsearch zips, base model
# Installs Debian packages the tests need when run as root (chromium, postgresql, redis-server),
# the Python dependencies (torch once; re-used after), the project in editable mode, the ES server zip,
# and the converted base model.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
LW_CACHE="${LW_CACHE:-$HOME/.cache/laborwatch}"
VENV="$LW_CACHE/venv"
mkdir -p "$LW_CACHE"

log() { echo "[setup $(date +%H:%M:%S) +${SECONDS}s] $*"; }

# 1. Debian packages (browser tests, PostgreSQL, Redis). Only as root; skipped when present.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q . || need_apt+=(fonts-noto-cjk)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need_apt[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    log "WARNING: not root; missing Debian packages: ${need_apt[*]} (their tests will skip)"
  fi
fi

# 2. Python environment (cached; torch is pinned in pyproject.toml and installed once).
if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi
stamp="$VENV/.laborwatch-deps"
want="$(sha256sum "$HERE/pyproject.toml" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Python dependencies (first run downloads torch; later runs reuse it)"
  "$VENV/bin/pip" install -q -e "$HERE[dev]"
  echo "$want" > "$stamp"
else
  # the checkout may have moved (CI clones elsewhere): re-point the editable install, no downloads
  "$VENV/bin/pip" install -q --no-deps -e "$HERE" >/dev/null
fi

# 3. The Elasticsearch server zip (Maven Central, cached in ~/.m2 and LW_CACHE) and its service user.
if "$VENV/bin/laborwatch" es fetch >/dev/null 2>&1; then log "elasticsearch zip ready"; else
  log "WARNING: could not prepare the Elasticsearch zip (laborwatch es fetch)"; "$VENV/bin/laborwatch" es fetch || true; fi

# 4. The converted base model (seconds; a build artefact, never committed).
if "$VENV/bin/laborwatch" nlp build-base >/dev/null 2>&1; then log "base model ready"; else
  log "WARNING: laborwatch nlp build-base failed"; "$VENV/bin/laborwatch" nlp build-base || true; fi

# 5. axe-core (npm, pinned) for the browser tests' accessibility checks; cached, never committed.
AXE_VERSION=4.14.1
AXE_DIR="$LW_CACHE/axe-core-$AXE_VERSION"
if [ ! -f "$AXE_DIR/axe.min.js" ]; then
  if command -v npm >/dev/null 2>&1; then
    axe_tmp="$(mktemp -d)"
    if (cd "$axe_tmp" && npm pack -q "axe-core@$AXE_VERSION" >/dev/null 2>&1 && tar xzf axe-core-*.tgz); then
      mkdir -p "$AXE_DIR" && cp "$axe_tmp/package/axe.min.js" "$axe_tmp/package/LICENSE" "$AXE_DIR/"
      log "axe-core $AXE_VERSION ready"
    else
      log "WARNING: could not fetch axe-core $AXE_VERSION with npm (accessibility checks will skip)"
    fi
    rm -rf "$axe_tmp"
  else
    log "WARNING: npm missing: axe-core not fetched (accessibility checks will skip)"
  fi
fi

log "done: activate with  source $VENV/bin/activate"
