#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback ports, for the MySQL plugin's cluster tests
# (plugins_example/tests/test_mysql_galera.py). It never touches the machine's own MariaDB:
# each node has its own data directory, socket and ports under $WHIZBANG_GALERA_STATE.
#
#   node N (1..3): SQL 331N, group communication 457N, IST 458N, rsync SST 459N
#
# Usage: galera.sh start            start every node not running (bootstrapping node 1 when
#                                   no node runs), wait until all three are Synced, size 3
#        galera.sh stop             stop every node (clean shutdown)
#        galera.sh start-node N     start node N (it rejoins by IST or SST) and wait until
#                                   it is Synced
#        galera.sh stop-node N      clean shutdown of node N
#        galera.sh kill-node N      SIGKILL node N
#        galera.sh wait-synced      wait until every node is Synced in a cluster of 3
#        galera.sh status           one line per node
#
# The servers run as the unprivileged mysql user (mariadbd refuses root). Exits non-zero when
# the cluster cannot be made to answer, so the tests that need it fail instead of skipping.
set -euo pipefail

STATE=${WHIZBANG_GALERA_STATE:-${WHIZBANG_CI_STATE:-/tmp/whizbang-ci}/galera}
PROVIDER=${WHIZBANG_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
MARIADBD=${WHIZBANG_GALERA_MARIADBD:-/usr/sbin/mariadbd}
RUN_AS=${WHIZBANG_GALERA_USER:-mysql}
NODES=(1 2 3)

log() { printf '[galera] %s\n' "$*" >&2; }

sql_port() { echo $((3310 + $1)); }
group_port() { echo $((4570 + $1)); }

as_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

# One query on node N through its socket, as root; prints the tab-separated rows.
node_sql() {
  mariadb --no-defaults -uroot --socket="$STATE/node$1/mysqld.sock" --connect-timeout=2 \
    -N -B -e "$2" 2>/dev/null
}

node_pid() {
  local file="$STATE/node$1/mysqld.pid"
  [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

write_config() { # N
  local n=$1 dir="$STATE/node$1" cluster=""
  local m
  for m in "${NODES[@]}"; do cluster+="${cluster:+,}127.0.0.1:$(group_port "$m")"; done
  cat >"$dir/my.cnf" <<EOF
[mysqld]
datadir=$dir/data
socket=$dir/mysqld.sock
pid-file=$dir/mysqld.pid
log-error=$dir/error.log
bind-address=127.0.0.1
port=$(sql_port "$n")
character-set-server=utf8mb4
skip-log-bin
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=whizbang_galera
wsrep_cluster_address=gcomm://$cluster
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((4590 + n))
# Failure detection in seconds rather than the default 15: the tests kill and cut off nodes.
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(group_port "$n");ist.recv_addr=127.0.0.1:$((4580 + n));gcache.size=64M;evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.inactive_check_period=PT0.5S;evs.install_timeout=PT6S"
EOF
}

prepare() { # N: a data directory (node 1 initialised; the others receive node 1's by SST)
  local n=$1 dir="$STATE/node$1"
  mkdir -p "$dir/data"
  write_config "$n"
  if [ "$n" -eq 1 ] && [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$RUN_AS" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
  fi
  if [ "$(id -u)" -eq 0 ]; then chown -R "$RUN_AS:$RUN_AS" "$dir"; fi
}

# The position a node that was killed reached, as mysqld_safe's --wsrep-recover finds it:
# InnoDB (and the DDL log) recover first, so the node asks for the rest by IST instead of a
# full SST onto a data directory whose unfinished DDL would be replayed over the donor's copy.
recovered_position() { # N
  local dir="$STATE/node$1"
  grep -q '^seqno: *-1' "$dir/data/grastate.dat" 2>/dev/null || return 0
  as_user "$MARIADBD" --defaults-file="$dir/my.cnf" --wsrep-recover \
    --log-error="$dir/recover.log" >/dev/null 2>&1 || return 0
  sed -n 's/.*WSREP: Recovered position: *\([^ ]*:[0-9-]*\).*/\1/p' "$dir/recover.log" | tail -n 1
}

launch() { # N [extra mariadbd options...]
  local n=$1
  shift
  if node_pid "$n" >/dev/null; then return 0; fi
  prepare "$n"
  local dir="$STATE/node$n" position
  position=$(recovered_position "$n")
  if [ -n "$position" ]; then set -- "$@" "--wsrep-start-position=$position"; fi
  # The SST scripts run as the server's children and read the same file.
  # fd 9 (the command lock) closed: a server holding it would hold the lock while it runs.
  as_user setsid "$MARIADBD" --defaults-file="$dir/my.cnf" "$@" >>"$dir/stdout.log" 2>&1 9>&- &
}

synced() { # N: Synced, in the primary component, cluster of 3
  local row
  row=$(node_sql "$1" "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME SEPARATOR ' ')
    FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN
    ('wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_ready')") \
    || return 1
  [ "$row" = "3 Primary Synced ON" ]
}

wait_until() { # seconds description command...
  local seconds=$1 what=$2 i
  shift 2
  for ((i = 0; i < seconds * 4; i++)); do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  log "$what: not reached within $seconds s"
  return 1
}

all_synced() {
  local n
  for n in "${NODES[@]}"; do synced "$n" || return 1; done
}

node_answers() { node_sql "$1" "SELECT 1" >/dev/null; }

fail_with_logs() {
  local n
  for n in "${NODES[@]}"; do
    [ -f "$STATE/node$n/error.log" ] && { log "node$n error.log (tail):"; tail -n 15 "$STATE/node$n/error.log" >&2; }
  done
  exit 1
}

start_all() {
  command -v mariadb-install-db >/dev/null || { log "mariadb-install-db missing (mariadb-server)"; exit 1; }
  [ -f "$PROVIDER" ] || { log "Galera provider $PROVIDER missing (apt-get install galera-4)"; exit 1; }
  command -v rsync >/dev/null || { log "rsync missing (the state transfer uses it)"; exit 1; }
  mkdir -p "$STATE"
  local n running=0
  for n in "${NODES[@]}"; do if node_pid "$n" >/dev/null; then running=1; fi; done
  if [ "$running" -eq 0 ]; then
    # No node runs: a new cluster from a new node 1 (a few seconds); the others get its
    # data by SST. Nothing of an earlier run (a killed node's half-done DDL) carries over.
    rm -rf "$STATE/node1" "$STATE/node2" "$STATE/node3"
    log "bootstrapping a new cluster from node1"
    launch 1 --wsrep-new-cluster
    wait_until 60 "node1 answering" node_answers 1 || fail_with_logs
  fi
  for n in "${NODES[@]}"; do
    launch "$n"
    # One joiner at a time: a donor serves one state transfer at once.
    wait_until 90 "node$n answering" node_answers "$n" || fail_with_logs
  done
  wait_until 90 "three nodes Synced" all_synced || fail_with_logs
  log "three nodes Synced on 127.0.0.1:$(sql_port 1)-$(sql_port 3)"
}

stop_node() {
  local pid
  pid=$(node_pid "$1") || return 0
  kill -TERM "$pid"
  local i
  for ((i = 0; i < 240; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  log "node$1 did not stop in 60 s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

kill_node() {
  local pid
  pid=$(node_pid "$1") || return 0
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  # The SST/IST helpers it may have started die with it (same process group).
  kill -KILL -- "-$pid" 2>/dev/null || true
}

status() {
  local n
  for n in "${NODES[@]}"; do
    printf 'node%s port %s pid %s: %s\n' "$n" "$(sql_port "$n")" "$(node_pid "$n" || echo -)" \
      "$(node_sql "$n" "SELECT GROUP_CONCAT(CONCAT(VARIABLE_NAME, '=', VARIABLE_VALUE))
        FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('wsrep_cluster_size',
        'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_ready')" || echo down)"
  done
}

# One command at a time changes the cluster (two pytest workers, or a test and a fixture):
# two launches of one node would fight over its ports and files.
case "${1:-}" in
  start | stop | start-node | stop-node | kill-node)
    mkdir -p "$STATE"
    exec 9>"$STATE/.lock"
    flock 9
    ;;
esac

case "${1:-}" in
  start) start_all ;;
  stop) for n in 3 2 1; do stop_node "$n"; done ;;
  start-node)
    launch "$2"
    wait_until 90 "node$2 answering" node_answers "$2" || fail_with_logs
    wait_until 90 "node$2 Synced" synced "$2" || fail_with_logs
    ;;
  stop-node) stop_node "$2" ;;
  kill-node) kill_node "$2" ;;
  wait-synced) wait_until "${2:-90}" "three nodes Synced" all_synced || fail_with_logs ;;
  status) status ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
