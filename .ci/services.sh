#!/usr/bin/env bash
# Make sure the database servers the tests need are running on 127.0.0.1:
#   PostgreSQL on 5432 (user postgres, trust auth) and MariaDB on 3306 (root, empty password).
# Where one is not answering, install it from Debian's packages and start it; PostgreSQL runs
# as the unprivileged postgres user. With WHIZBANG_TEST_GALERA=1, also a three-node MariaDB
# Galera cluster on 127.0.0.1:3311-3313 (.ci/galera.sh; galera-4 and rsync from Debian's
# packages if missing). Exits non-zero if a server cannot be made to answer, so CI fails
# instead of skipping the tests that need it.
set -euo pipefail

PG_PORT=${WHIZBANG_CI_PG_PORT:-5432}
MARIADB_PORT=${WHIZBANG_CI_MARIADB_PORT:-3306}
STATE_DIR=${WHIZBANG_CI_STATE:-/tmp/whizbang-ci}

log() { printf '[services] %s\n' "$*" >&2; }

port_open() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

wait_for() { # name port seconds
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    if port_open "$2"; then log "$1 is answering on port $2"; return 0; fi
    sleep 0.25
  done
  log "$1 did not start on port $2"
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "need root to run: $*"; return 1
  fi
}

apt_install() {
  log "installing $* from Debian's packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if port_open "$PG_PORT"; then log "PostgreSQL already running"; return 0; fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt_install postgresql; fi
  # The machine's own cluster first, as it was configured (trust auth on 127.0.0.1).
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    local version
    version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    if wait_for PostgreSQL "$PG_PORT" 10; then return 0; fi
  fi
  # Otherwise a throw-away cluster, owned by the postgres user (PostgreSQL refuses root).
  local bin data
  bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  data="$STATE_DIR/pg"
  as_root mkdir -p "$STATE_DIR"
  as_root rm -rf "$data"
  as_root install -d -o postgres -g postgres "$data"
  as_root runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres -A trust --no-sync \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  as_root runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $data -c fsync=off" start >/dev/null
  wait_for PostgreSQL "$PG_PORT" 30
}

ensure_mariadb() {
  if port_open "$MARIADB_PORT"; then log "MariaDB already running"; return 0; fi
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server
  fi
  # The machine's own server first, with its own configuration.
  if [ -d /var/lib/mysql/mysql ]; then
    as_root install -d -o mysql -g mysql /run/mysqld
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
    if wait_for MariaDB "$MARIADB_PORT" 20; then return 0; fi
  fi
  # Otherwise a throw-away data directory.
  local data="$STATE_DIR/mariadb"
  as_root mkdir -p "$STATE_DIR"
  as_root rm -rf "$data"
  as_root install -d -o mysql -g mysql "$data"
  as_root mariadb-install-db --no-defaults --user=mysql --datadir="$data" \
    --auth-root-authentication-method=normal --skip-test-db >/dev/null
  as_root runuser -u mysql -- /usr/sbin/mariadbd --no-defaults --datadir="$data" \
    --bind-address=127.0.0.1 --port="$MARIADB_PORT" --socket="$data/s.sock" \
    --skip-log-bin --character-set-server=utf8mb4 >"$STATE_DIR/mariadb.log" 2>&1 &
  wait_for MariaDB "$MARIADB_PORT" 30
}

ensure_tools() { # jq: the tests run the documented `check --json | jq -e` gate with it
  if ! command -v jq >/dev/null 2>&1; then apt_install jq; fi
}

ensure_galera() { # only when the cluster tests are requested: it takes three servers' memory
  [ "${WHIZBANG_TEST_GALERA:-}" = "1" ] || return 0
  local missing=()
  [ -f /usr/lib/galera/libgalera_smm.so ] || missing+=(galera-4)
  command -v rsync >/dev/null 2>&1 || missing+=(rsync)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
  bash "$(dirname "$0")/galera.sh" start
}

ensure_postgres
ensure_mariadb
ensure_tools
ensure_galera
