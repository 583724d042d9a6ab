#!/usr/bin/env bash
# One HTTP row of bench/run.sh (submit or status) for two jars, alternating, ROUNDS times each: a
# quicker, narrower bench/compare-jars.sh for a change that touches one row. Each run is an
# API-only node of the jar on the same database and Redis db: the row's warm-up (8 s), /health
# (4 s unmeasured), then /health, the row and /health again (8, 10 and 8 s, 32 connections). Prints
# a line per run: the row's req/s and the JVM's CPU per request, and both /health runs; the row's
# ratio is its req/s over their mean. Per request, too: the JVM's write and read system calls
# (socket writes, netty's eventfd wake-ups, log lines) and Redis's reads (/proc/PID/io). Each
# round runs OLD first, and the first node also fills the table for status: run again with the
# jars swapped. One run's CPU per request moves by 10-20 % on this machine (2026-12-02-hot-path.md);
# the system-call counts barely move.
#
#   bench/ab-row.sh status|submit OLD.jar NEW.jar
#
#   TTS_AB_ROUNDS [3]  TTS_AB_PORT [18095]  TTS_AB_DATABASE [tts_ab]  TTS_AB_REDIS_DB [5]
# Needs wrk, curl, psql, redis-cli; PostgreSQL and Redis on localhost (the database is recreated
# and the Redis db emptied); a JDK 21+ in JAVA_HOME. Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-user.sh
[ $# = 3 ] || { sed -n 2,13p "$0"; exit 2; }
ROW=$1; OLD=$(realpath "$2"); NEW=$(realpath "$3")
case $ROW in status|submit) ;; *) echo "row: status or submit" >&2; exit 2 ;; esac
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
ROUNDS=${TTS_AB_ROUNDS:-3}; PORT=${TTS_AB_PORT:-18095}; DB=${TTS_AB_DATABASE:-tts_ab}
REDIS_DB=${TTS_AB_REDIS_DB:-5}; BASE=http://127.0.0.1:$PORT
if curl -s -o /dev/null "$BASE/health"; then
  echo "something already answers on port $PORT (a node left from an earlier run?)" >&2
  exit 1
fi
WORK=$(mktemp -d /tmp/tts-ab.XXXXXX)
PGOPTIONS='-c client_min_messages=warning' psql -qh 127.0.0.1 -U postgres -d postgres \
  -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
redis-cli -n "$REDIS_DB" flushdb >/dev/null
start() { # jar roles log-name
  DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" \
    PORT=$PORT TTS_DATA_DIR=$WORK/data "$JAVA" -jar "$1" --roles="$2" \
    --tts.backpressure.max-queue-depth=100000000 \
    --tts.backpressure.high-priority-max-queue-depth=100000000 \
    --tts.ratelimit.poll-requests-per-minute=2000000000 >"$WORK/$3.log" 2>&1 &
  PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" = 200 ]; do
    kill -0 $PID 2>/dev/null || { tail -20 "$WORK/$3.log" >&2; exit 1; }
    sleep 0.1
  done
}
stop() { kill $PID; wait $PID 2>/dev/null || true; }
cpu() { awk '{ print $14 + $15 }' /proc/$PID/stat; }
# write and read system calls of a process (/proc/PID/io): how many writes a request costs the JVM
# and how many reads it costs Redis, counts that a busy machine does not blur
io() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/io"; }
REDIS_PID=$(pgrep -f 'redis-server.*:6379' | head -1)
TICKS=$(getconf CLK_TCK)
run() { # name script seconds
  local before after requests rps writes reads redis_reads
  before=$(cpu); writes=$(io $PID syscw); reads=$(io $PID syscr); redis_reads=$(io "$REDIS_PID" syscr)
  wrk -t1 -c32 -d"$3s" --timeout 10s -s "bench/wrk/$2" "$BASE" >"$WORK/wrk.txt" 2>&1
  after=$(cpu)
  writes=$(( $(io $PID syscw) - writes )); reads=$(( $(io $PID syscr) - reads ))
  redis_reads=$(( $(io "$REDIS_PID" syscr) - redis_reads ))
  requests=$(grep -oP 'requests=\K[0-9]+' "$WORK/wrk.txt"); rps=$(grep -oP 'rps=\K[0-9.]+' "$WORK/wrk.txt")
  echo "$1 rps=$rps cpu_ms=$(awk "BEGIN { printf \"%.3f\", ($after - $before) * 1000 / $TICKS / $requests }")" \
    "jvm_writes=$(awk "BEGIN { printf \"%.2f\", $writes / $requests }")" \
    "jvm_reads=$(awk "BEGIN { printf \"%.2f\", $reads / $requests }")" \
    "redis_reads=$(awk "BEGIN { printf \"%.2f\", $redis_reads / $requests }")"
}

start "$NEW" api,worker publisher # the schema, the engine catalog, the admin key
ADMIN=$(grep -oP 'Admin API key: \K\S+' "$WORK/publisher.log" | head -1)
read -r _ KEY < <(bench_user "$BASE" "$ADMIN" ab)
export TTS_BENCH_KEY=$KEY TTS_BENCH_IDS=$WORK/ids.txt
stop
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
filled=0
for round in $(seq 1 "$ROUNDS"); do
  for jar in "$OLD" "$NEW"; do
    start "$jar" api node
    if [ "$ROW" = status ]; then
      if [ $filled = 0 ]; then TTS_BENCH_RUN=ab-fill run fill submit.lua 8 >/dev/null; filled=1; fi
      psql -qAt -h 127.0.0.1 -U postgres -d "$DB" \
        -c "SELECT id FROM requests ORDER BY random() LIMIT 10000" >"$TTS_BENCH_IDS"
    fi
    TTS_BENCH_RUN=ab-$round-$(basename "$jar")-warm run warm "$ROW.lua" 8 >/dev/null
    run warm-health health.lua 4 >/dev/null
    h1=$(run health health.lua 8)
    row=$(TTS_BENCH_RUN=ab-$round-$(basename "$jar") run "$ROW" "$ROW.lua" 10)
    h2=$(run health health.lua 8)
    echo "$(basename "$jar") $row | $h1 | $h2"
    stop
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK"
