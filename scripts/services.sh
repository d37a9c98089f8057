# Sourced by scripts/test.sh and scripts/demo.sh: start/stop the real services the tests use.
# Exports LW_TEST_PG_URL and LW_TEST_REDIS_URL for the tests; ES is the project's own node (laborwatch es up).
LW_CACHE="${LW_CACHE:-$HOME/.cache/laborwatch}"
SVC_DIR="${SVC_DIR:-$(mktemp -d /tmp/lw-services.XXXXXX)}"
chmod 755 "$SVC_DIR"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_redis() {
  command -v redis-server >/dev/null || { echo "[services] redis-server not installed: Redis tests will skip"; return 0; }
  local port; port="$(free_port)"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$SVC_DIR/redis.pid" --logfile "$SVC_DIR/redis.log" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export LW_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
  echo "[services] redis on $LW_TEST_REDIS_URL"
}

start_postgres() {
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$bin" ] || { echo "[services] postgresql not installed: PostgreSQL tests will skip"; return 0; }
  local port; port="$(free_port)"
  local data="$SVC_DIR/pg"
  local run_as=()
  if [ "$(id -u)" = 0 ]; then run_as=(runuser -u postgres --); chown postgres "$SVC_DIR"; fi
  mkdir -p "$data"; [ "$(id -u)" = 0 ] && chown postgres "$data"
  "${run_as[@]}" "$bin/initdb" -D "$data" -U laborwatch --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run_as[@]}" "$bin/pg_ctl" -D "$data" -o "-p $port -k $SVC_DIR -c listen_addresses=127.0.0.1" \
    -l "$SVC_DIR/pg.log" -w start >/dev/null
  "${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U laborwatch laborwatch_test
  export LW_TEST_PG_URL="postgresql+psycopg://laborwatch@127.0.0.1:$port/laborwatch_test"
  PG_BIN="$bin"; PG_DATA="$data"; PG_RUN_AS=("${run_as[@]}")
  echo "[services] postgresql on 127.0.0.1:$port"
}

stop_services() {
  [ -f "$SVC_DIR/redis.pid" ] && kill "$(cat "$SVC_DIR/redis.pid")" 2>/dev/null || true
  if [ -n "${PG_DATA:-}" ]; then "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true; fi
}
