#!/usr/bin/env bash
# The design document's Locust file against a fresh service of its own: a new database, a
# redis-server of its own, the jar with its defaults (all roles), then Locust headless. Prints
# Locust's summary and writes its CSVs to target/locust/; the machine's load before and after goes
# with them, since other work on the machine changes every number.
#
#   bench/locust.sh [USERS] [SPAWN_RATE] [RUN_TIME]      defaults: 1000 100 2m
#
#   TTS_BENCH_PORT [18095]  TTS_BENCH_REDIS_PORT [6397]  TTS_BENCH_DATABASE [tts_locust]
#   TTS_BENCH_JAR [target/tts-api-*.jar, built if missing]  TTS_BENCH_HEAP [1g]
#   TTS_BENCH_WARMUP [30]   seconds of 50 users before the run (the JVM warms up; not counted)
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-1000}
RATE=${2:-100}
RUN_TIME=${3:-2m}
PORT=${TTS_BENCH_PORT:-18095}
REDIS_PORT=${TTS_BENCH_REDIS_PORT:-6397}
DATABASE=${TTS_BENCH_DATABASE:-tts_locust}
HEAP=${TTS_BENCH_HEAP:-1g}
WARMUP=${TTS_BENCH_WARMUP:-30}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=target/locust
mkdir -p "$OUT"
command -v locust >/dev/null || { echo "locust is missing: apt-get install python3-locust" >&2; exit 1; }

JAR=${TTS_BENCH_JAR:-$(ls target/tts-api-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  ./mvnw -q -ntp package -DskipTests -Dspotless.check.skip=true
  JAR=$(ls target/tts-api-*.jar | grep -v original | head -1)
fi

SERVICE=
cleanup() {
  [ -n "$SERVICE" ] && kill "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT

redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --logfile "$PWD/$OUT/redis.log" >/dev/null
psql -q -o /dev/null -h 127.0.0.1 -U postgres -c "drop database if exists $DATABASE" -c "create database $DATABASE"

DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DATABASE REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0 \
  PORT=$PORT "$JAVA_HOME/bin/java" -Xmx"$HEAP" -jar "$JAR" --tts.stores.data-dir="$OUT/data" >"$OUT/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVICE" 2>/dev/null || { tail -30 "$OUT/service.log"; exit 1; }
  sleep 1
done
ADMIN=$(sed -n 's/.*Admin API key: \(tts_[A-Za-z0-9_-]*\).*/\1/p' "$OUT/service.log" | head -1)
[ -n "$ADMIN" ] || { echo "no admin key in $OUT/service.log" >&2; exit 1; }

if [ "$WARMUP" -gt 0 ]; then
  echo "[locust] warming up: 50 users for ${WARMUP}s" >&2
  TTS_ADMIN_KEY=$ADMIN locust -f src/load/locust/load_test.py --host "http://127.0.0.1:$PORT" \
    -u 50 -r 50 --run-time "${WARMUP}s" --headless --only-summary >"$OUT/warmup.txt" 2>&1 || true
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "[locust] $USERS users, $RATE/s, $RUN_TIME; load before $LOAD_BEFORE" >&2
set +e
TTS_ADMIN_KEY=$ADMIN locust -f src/load/locust/load_test.py --host "http://127.0.0.1:$PORT" \
  -u "$USERS" -r "$RATE" --run-time "$RUN_TIME" --headless --only-summary --csv "$OUT/run" \
  >"$OUT/run.txt" 2>&1
STATUS=$?
set -e
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$OUT/run.txt" | sed -n '/Type .*Name/,$p'
echo
echo "load average before $LOAD_BEFORE, after $LOAD_AFTER on $(nproc) cores; locust exit $STATUS"
echo "503s in the service log: $(grep -c 'Failed to obtain JDBC Connection' "$OUT/service.log" || true) JDBC pool timeouts"
