#!/usr/bin/env bash
# The design document's multi-node topology on one machine's loopback, every node with a data
# directory of its own as separate machines have: nginx (least_conn) over 2 API nodes, 2 worker
# nodes and 1 maintenance node; PostgreSQL primary + streaming replica behind PgBouncer
# (transaction mode); a 6-node Redis Cluster (3 masters, 3 replicas); S3Proxy as the shared
# audio store. Nothing is shared between nodes but what the network gives them.
#
#   deploy/local/cluster.sh up            start everything (builds the jar if there is none)
#   deploy/local/cluster.sh down          stop everything and delete its data
#   deploy/local/cluster.sh status        what runs, where, and whether it is ready
#   deploy/local/cluster.sh kill NODE     kill -9 one part (api1 api2 worker1 worker2 maintenance
#                                         nginx pgbouncer pg-replica s3proxy redis-<port>)
#   deploy/local/cluster.sh start NODE    start that part again, on its own data
#   deploy/local/cluster.sh env           the addresses as shell variables (eval "$(... env)")
#
# Settings (environment):
#   TOPOLOGY_DIR    [target/topology]  everything it writes: data, logs, pids
#   TOPOLOGY_PORT   [7300]             first of the 100 ports it uses (see below)
#   TOPOLOGY_REDIS  [cluster]          cluster: 6 nodes; standalone: one redis-server
#   TOPOLOGY_JAR    [target/tts-api-*.jar]
#   JAVA_HOME       a JDK 21 or newer
#
# Ports (TOPOLOGY_PORT + n): 0 nginx, 1 PostgreSQL primary, 2 replica, 3 PgBouncer,
# 11-16 Redis, 20 S3Proxy, 31-32 API nodes, 41-42 workers, 51 maintenance.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

DIR=${TOPOLOGY_DIR:-$ROOT/target/topology}
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
BASE=${TOPOLOGY_PORT:-7300}
REDIS_MODE=${TOPOLOGY_REDIS:-cluster}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PG_BIN=/usr/lib/postgresql/15/bin
DATABASE=tts
BUCKET=tts-audio
S3_KEY=topology-access
S3_SECRET=topology-secret

NGINX_PORT=$BASE
PG_PRIMARY_PORT=$((BASE + 1))
PG_REPLICA_PORT=$((BASE + 2))
PGBOUNCER_PORT=$((BASE + 3))
REDIS_PORTS=()
if [ "$REDIS_MODE" = cluster ]; then
  for i in 11 12 13 14 15 16; do REDIS_PORTS+=($((BASE + i))); done
else
  REDIS_PORTS=($((BASE + 11)))
fi
S3_PORT=$((BASE + 20))
declare -A NODE_PORT=([api1]=$((BASE + 31)) [api2]=$((BASE + 32)) [worker1]=$((BASE + 41))
  [worker2]=$((BASE + 42)) [maintenance]=$((BASE + 51)))
declare -A NODE_ROLES=([api1]=api [api2]=api [worker1]=worker [worker2]=worker
  [maintenance]=maintenance)
declare -A NODE_HEAP=([api1]=256m [api2]=256m [worker1]=768m [worker2]=768m [maintenance]=256m)
NODES=(maintenance api1 api2 worker1 worker2)

log() { echo "[topology $(date +%T)] $*" >&2; }
die() { log "$*"; exit 1; }
pidfile() { echo "$DIR/pids/$1.pid"; }
running() { local f; f=$(pidfile "$1"); [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A port that answers before its part starts belongs to something else (a part of an earlier run
# left behind, another program): starting would only look like success.
port_free() { ! port_open "$1" || die "port $1 for $2 is taken by another process; stop it first (ss -ltnp 'sport = :$1')"; }
# Parts run in a session of their own, so a kill takes every process of the part (nginx's
# workers outlive a killed master otherwise, still serving the port).
spawn() { # spawn NAME LOG COMMAND...
  local name=$1 logfile=$2
  shift 2
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}
wait_port() { # wait_port PORT NAME [SECONDS]
  local i
  for ((i = 0; i < ${3:-60} * 10; i++)); do port_open "$1" && return 0; sleep 0.1; done
  die "$2 did not open port $1 (see $DIR/logs/$2.log)"
}
# PostgreSQL refuses to run as root; the tools run as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

redis_url() {
  if [ "$REDIS_MODE" = cluster ]; then
    local hosts=() p
    for p in "${REDIS_PORTS[@]}"; do hosts+=("127.0.0.1:$p"); done
    echo "redis-cluster://$(IFS=,; echo "${hosts[*]}")"
  else
    echo "redis://127.0.0.1:${REDIS_PORTS[0]}/0"
  fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: a primary, a streaming replica made from it, PgBouncer in front of the primary.

start_pg() { # start_pg primary|replica
  local name=pg-$1 port
  port=$([ "$1" = primary ] && echo "$PG_PRIMARY_PORT" || echo "$PG_REPLICA_PORT")
  running "$name" && return 0
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/$name" -l "$DIR/logs/$name.log" -w -t 60 \
    -o "-p $port -k $DIR/run -c listen_addresses=127.0.0.1" start >/dev/null
  head -n1 "$DIR/$name/postmaster.pid" >"$(pidfile "$name")"
}

make_pg() {
  [ -d "$DIR/pg-primary" ] && return 0
  log "PostgreSQL primary on $PG_PRIMARY_PORT, replica on $PG_REPLICA_PORT"
  mkdir -p "$DIR/pg-primary" "$DIR/run"
  chmod 700 "$DIR/pg-primary"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/pg-primary" "$DIR/run" "$DIR/logs"
  as_pg "$PG_BIN/initdb" -D "$DIR/pg-primary" -U postgres --auth=trust -E UTF8 >/dev/null
  cat >>"$DIR/pg-primary/postgresql.conf" <<EOF
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 200
EOF
  echo "host replication postgres 127.0.0.1/32 trust" >>"$DIR/pg-primary/pg_hba.conf"
  start_pg primary
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -qc "CREATE DATABASE $DATABASE"
  mkdir -p "$DIR/pg-replica"
  chmod 700 "$DIR/pg-replica"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/pg-replica"
  as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres \
    -D "$DIR/pg-replica" -R -X stream -C -S replica1 >/dev/null
}

start_pgbouncer() {
  running pgbouncer && return 0
  mkdir -p "$DIR/pgbouncer"
  cat >"$DIR/pgbouncer/pgbouncer.ini" <<EOF
; The design document's settings, transaction pooling (the service sends prepareThreshold=0).
[databases]
$DATABASE = host=127.0.0.1 port=$PG_PRIMARY_PORT dbname=$DATABASE
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/pgbouncer/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 25
min_pool_size = 5
reserve_pool_size = 5
max_db_connections = 50
ignore_startup_parameters = extra_float_digits,options
EOF
  echo '"postgres" ""' >"$DIR/pgbouncer/userlist.txt"
  [ "$(id -u)" = 0 ] && chown -R postgres "$DIR/pgbouncer"
  port_free "$PGBOUNCER_PORT" pgbouncer
  if [ "$(id -u)" = 0 ]; then
    spawn pgbouncer "$DIR/logs/pgbouncer.log" runuser -u postgres -- /usr/sbin/pgbouncer "$DIR/pgbouncer/pgbouncer.ini"
  else
    spawn pgbouncer "$DIR/logs/pgbouncer.log" /usr/sbin/pgbouncer "$DIR/pgbouncer/pgbouncer.ini"
  fi
  wait_port "$PGBOUNCER_PORT" pgbouncer
}

# ---------------------------------------------------------------------------------------------
# Redis: six cluster nodes joined as 3 masters with a replica each, or one standalone server.

start_redis_node() { # start_redis_node PORT
  local port=$1 dir=$DIR/redis-$1 args=()
  running "redis-$port" && return 0
  port_free "$port" "redis-$port"
  mkdir -p "$dir"
  if [ "$REDIS_MODE" = cluster ]; then
    args=(--cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 3000)
  fi
  # Append-only file on, as production runs it: a restarted node comes back with its data.
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly yes \
    --logfile "$DIR/logs/redis-$port.log" --daemonize yes --pidfile "$dir/redis.pid" "${args[@]}"
  wait_port "$port" "redis-$port" 20
  for _ in $(seq 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
  cp "$dir/redis.pid" "$(pidfile "redis-$port")"
}

make_redis() {
  local p
  for p in "${REDIS_PORTS[@]}"; do start_redis_node "$p"; done
  [ "$REDIS_MODE" = cluster ] || return 0
  if ! redis-cli -p "${REDIS_PORTS[0]}" cluster info | grep -q 'cluster_state:ok'; then
    log "Redis Cluster on ${REDIS_PORTS[*]} (3 masters, 3 replicas)"
    local hosts=()
    for p in "${REDIS_PORTS[@]}"; do hosts+=("127.0.0.1:$p"); done
    redis-cli --cluster create "${hosts[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/logs/redis-create.log"
  fi
  for _ in $(seq 100); do
    redis-cli -p "${REDIS_PORTS[0]}" cluster info | grep -q 'cluster_state:ok' && break
    sleep 0.2
  done
  redis-cli -p "${REDIS_PORTS[0]}" cluster info | grep -q 'cluster_state:ok' ||
    die "the Redis Cluster did not reach cluster_state:ok"
  # A replica that never finished its first sync will not take over from a dead master.
  local synced
  for _ in $(seq 300); do
    synced=1
    for p in "${REDIS_PORTS[@]}"; do
      if redis-cli -p "$p" info replication | grep -q 'role:slave' &&
        ! redis-cli -p "$p" info replication | grep -q 'master_link_status:up'; then
        synced=0
      fi
    done
    [ $synced = 1 ] && return 0
    sleep 0.2
  done
  die "the Redis Cluster's replicas did not finish their first sync"
}

# ---------------------------------------------------------------------------------------------
# S3Proxy: the S3 API over a directory (a bucket is a directory of it).

start_s3proxy() {
  running s3proxy && return 0
  local jar
  jar=$(ls ~/.m2/repository/org/gaul/s3proxy/*/s3proxy-*-jar-with-dependencies.jar 2>/dev/null | tail -n1)
  [ -n "$jar" ] || jar=$ROOT/target/s3proxy/s3proxy.jar
  [ -f "$jar" ] || die "no S3Proxy jar: run ./mvnw -q package -DskipTests once (it copies one to target/s3proxy)"
  mkdir -p "$DIR/s3proxy/data/$BUCKET"
  cat >"$DIR/s3proxy/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_KEY
s3proxy.credential=$S3_SECRET
jclouds.provider=filesystem-nio2
jclouds.identity=local
jclouds.credential=local
jclouds.filesystem.basedir=$DIR/s3proxy/data
EOF
  port_free "$S3_PORT" s3proxy
  spawn s3proxy "$DIR/logs/s3proxy.log" "$JAVA" -Xmx256m -jar "$jar" --properties "$DIR/s3proxy/s3proxy.conf"
  wait_port "$S3_PORT" s3proxy 60
}

# ---------------------------------------------------------------------------------------------
# The service's nodes: one jar, a role each, a data directory each.

jar() {
  local jar=${TOPOLOGY_JAR:-}
  [ -n "$jar" ] || jar=$(ls "$ROOT"/target/tts-api-*.jar 2>/dev/null | head -n1 || true)
  if [ -z "$jar" ]; then
    log "building the jar (./mvnw -q package -DskipTests)"
    ./mvnw -q -ntp package -DskipTests >&2
    jar=$(ls "$ROOT"/target/tts-api-*.jar | head -n1)
  fi
  realpath "$jar"
}

start_node() { # start_node NAME
  local name=$1 port=${NODE_PORT[$1]}
  running "$name" && return 0
  port_free "$port" "$name"
  mkdir -p "$DIR/$name"
  # Each node its own working and data directory: nothing on disk is shared, as on separate
  # machines. The database goes through PgBouncer; reads that may lag go to the replica.
  (cd "$DIR/$name" && exec setsid env \
    PORT="$port" \
    TTS_DATA_DIR="$DIR/$name/data" \
    DATABASE_URL="postgresql://postgres@127.0.0.1:$PGBOUNCER_PORT/$DATABASE?prepareThreshold=0" \
    DATABASE_REPLICA_URLS="postgresql://postgres@127.0.0.1:$PG_REPLICA_PORT/$DATABASE" \
    REDIS_URL="$(redis_url)" \
    AUDIO_STORE_URL="s3://$BUCKET/audio" \
    "$JAVA" -Xmx"${NODE_HEAP[$name]}" -jar "$(jar)" --roles="${NODE_ROLES[$name]}" \
    --tts.audio-store.endpoint="http://127.0.0.1:$S3_PORT" --tts.audio-store.path-style=true \
    --tts.audio-store.access-key="$S3_KEY" --tts.audio-store.secret-key="$S3_SECRET" \
    ${TOPOLOGY_NODE_ARGS:-} \
    >>"$DIR/logs/$name.log" 2>&1) &
  echo $! >"$(pidfile "$name")"
}

wait_ready() { # wait_ready NAME [SECONDS]
  local name=$1 port=${NODE_PORT[$1]} i
  for ((i = 0; i < ${2:-120} * 5; i++)); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" && return 0
    running "$name" || die "$name exited; see $DIR/logs/$name.log"
    sleep 0.2
  done
  die "$name did not turn ready in ${2:-120} s; see $DIR/logs/$name.log"
}

# ---------------------------------------------------------------------------------------------
# nginx: the shipped deploy/nginx/nginx.conf, its upstream the two API nodes.

start_nginx() {
  running nginx && return 0
  port_free "$NGINX_PORT" nginx
  mkdir -p "$DIR/nginx/logs"
  sed -e "s|listen 80;|listen 127.0.0.1:$NGINX_PORT;|" \
    -e "s|access_log /dev/stdout tts;|access_log $DIR/logs/nginx-access.log tts;|" \
    "$ROOT/deploy/nginx/nginx.conf" >"$DIR/nginx/nginx.conf"
  cat >"$DIR/nginx/upstream.conf" <<EOF
server 127.0.0.1:${NODE_PORT[api1]} max_fails=3 fail_timeout=10s;
server 127.0.0.1:${NODE_PORT[api2]} max_fails=3 fail_timeout=10s;
EOF
  spawn nginx "$DIR/logs/nginx.log" /usr/sbin/nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" \
    -g "daemon off; pid $DIR/nginx/nginx.pid; error_log $DIR/logs/nginx.log;"
  wait_port "$NGINX_PORT" nginx 20
}

# ---------------------------------------------------------------------------------------------

start_part() {
  case $1 in
    pg-primary) start_pg primary ;;
    pg-replica) start_pg replica ;;
    pgbouncer) start_pgbouncer ;;
    s3proxy) start_s3proxy ;;
    nginx) start_nginx ;;
    redis-*) start_redis_node "${1#redis-}" ;;
    api1 | api2 | worker1 | worker2 | maintenance) start_node "$1" && wait_ready "$1" ;;
    *) die "no part $1" ;;
  esac
}

kill_part() {
  running "$1" || { log "$1 is not running"; return 0; }
  case $1 in
    # An immediate stop is PostgreSQL's crash: no checkpoint, recovery at the next start (a
    # kill -9 of the postmaster would leave its children holding the shared memory a while).
    pg-*) as_pg "$PG_BIN/pg_ctl" -D "$DIR/$1" -m immediate stop >/dev/null ;;
    # Redis daemonizes (its own session already); the others were spawned as session leaders.
    redis-*) kill -9 "$(cat "$(pidfile "$1")")" ;;
    *) kill -9 -- "-$(cat "$(pidfile "$1")")" ;;
  esac
  # A killed JVM takes a moment to be gone (and to free its port): wait, so a start right after
  # does not find the port taken.
  local pid i
  pid=$(cat "$(pidfile "$1")")
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$(pidfile "$1")"
}

up() {
  command -v redis-server >/dev/null || die "redis-server is not installed"
  [ -x /usr/sbin/nginx ] || die "nginx is not installed"
  [ -x /usr/sbin/pgbouncer ] || die "pgbouncer is not installed"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15's server binaries are not installed"
  mkdir -p "$DIR/pids" "$DIR/logs"
  jar >/dev/null
  make_pg
  start_pg primary
  start_pg replica
  start_pgbouncer
  make_redis
  start_s3proxy
  # Maintenance first: it migrates the schema and makes the admin user while nothing else runs.
  local name
  for name in "${NODES[@]}"; do
    start_node "$name"
    [ "$name" = maintenance ] && wait_ready maintenance 180
  done
  for name in "${NODES[@]}"; do wait_ready "$name" 180; done
  start_nginx
  local key
  key=$(grep -ohP 'Admin API key: \K\S+' "$DIR"/logs/*.log | head -n1 || true)
  [ -n "$key" ] && echo "$key" >"$DIR/admin-key"
  log "up: http://127.0.0.1:$NGINX_PORT (admin key in $DIR/admin-key)"
}

down() {
  local f name
  for f in "$DIR"/pids/*.pid; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .pid)
    case $name in
      pg-*) as_pg "$PG_BIN/pg_ctl" -D "$DIR/$name" -m immediate stop >/dev/null 2>&1 || true ;;
      redis-*) kill -9 "$(cat "$f")" 2>/dev/null || true ;;
      *) kill -9 -- "-$(cat "$f")" 2>/dev/null || true ;;
    esac
    rm -f "$f"
  done
  [ -d "$DIR" ] && rm -rf "$DIR"
  log "down"
}

status() {
  local name state
  for name in pg-primary pg-replica pgbouncer $(printf 'redis-%s ' "${REDIS_PORTS[@]}") s3proxy \
    "${NODES[@]}" nginx; do
    state=stopped
    if running "$name"; then
      state="running (pid $(cat "$(pidfile "$name")"))"
      if [ -n "${NODE_PORT[$name]:-}" ]; then
        curl -fs -o /dev/null "http://127.0.0.1:${NODE_PORT[$name]}/health/ready" &&
          state="$state, ready on ${NODE_PORT[$name]}" || state="$state, not ready"
      fi
    fi
    printf '%-12s %s\n' "$name" "$state"
  done
}

envs() {
  cat <<EOF
TOPOLOGY_URL=http://127.0.0.1:$NGINX_PORT
TOPOLOGY_DIR=$DIR
TOPOLOGY_DATABASE_URL=jdbc:postgresql://127.0.0.1:$PG_PRIMARY_PORT/$DATABASE
TOPOLOGY_REDIS_URL=$(redis_url)
TOPOLOGY_REDIS_PORTS="${REDIS_PORTS[*]}"
TOPOLOGY_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
TOPOLOGY_API_URLS="http://127.0.0.1:${NODE_PORT[api1]} http://127.0.0.1:${NODE_PORT[api2]}"
TOPOLOGY_WORKER_URLS="http://127.0.0.1:${NODE_PORT[worker1]} http://127.0.0.1:${NODE_PORT[worker2]}"
TOPOLOGY_ADMIN_KEY=$(cat "$DIR/admin-key" 2>/dev/null || true)
EOF
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  kill) kill_part "${2:?which part}" ;;
  start) start_part "${2:?which part}" ;;
  env) envs ;;
  *) sed -n 2,24p "$0"; exit 2 ;;
esac
