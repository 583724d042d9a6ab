#!/usr/bin/env bash
# One job's overhead, quickly, for comparing two builds (bench/run.sh measures the same among
# everything else): short texts submitted one at a time to a node with every role, then from
# PostgreSQL the queue overhead (submit → completed minus synthesis) and the worker's part of it
# (started → completed minus synthesis), p50 and p99, and the worker's own timer
# (tts_worker_overhead_seconds) when the jar has it; with an espeak-ng voice also taken → stored ÷
# espeak-ng's own synthesis time of the same texts (issue 18's row). Prints one line.
#
#   bench/overhead.sh                          # this checkout's jar
#   TTS_BENCH_JAR=/tmp/main/target/tts-api-0.1.0.jar bench/overhead.sh
#
# Settings: TTS_BENCH_JAR, TTS_OVERHEAD_SAMPLES [100], TTS_OVERHEAD_VOICE [espeak:en-us if
# installed, else mary:cmu-slt-hsmm], TTS_BENCH_PORT [18280], TTS_BENCH_DATABASE [tts_overhead],
# TTS_BENCH_REDIS_PORT [6379], TTS_BENCH_REDIS_DB [0], TTS_BENCH_WAIT [events: completions seen on
# GET /tts/events; poll: status polled every 2 ms, which takes CPU from the job it measures].
# Needs the test classpath of bench/run.sh (target/bench-classpath.txt) for SynthesisBench.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-user.sh
ROOT=$(pwd)
SAMPLES=${TTS_OVERHEAD_SAMPLES:-100}
PORT=${TTS_BENCH_PORT:-18280}
DATABASE=${TTS_BENCH_DATABASE:-tts_overhead}
REDIS_PORT=${TTS_BENCH_REDIS_PORT:-6379}
REDIS_DB=${TTS_BENCH_REDIS_DB:-0}
JAR=${TTS_BENCH_JAR:-$(ls target/tts-api-*.jar | head -n1)}
BASE=http://127.0.0.1:$PORT
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA)
log() { printf '[overhead %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[ -s target/bench-classpath.txt ] || ./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/bench-classpath.txt)"

WORK=$(mktemp -d /tmp/tts-overhead.XXXXXX)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
redis-cli -p "$REDIS_PORT" -n "$REDIS_DB" flushdb >/dev/null
DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DATABASE" \
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB" PORT=$PORT TTS_DATA_DIR="$WORK/data" \
  "$JAVA" -jar "$JAR" --tts.ratelimit.poll-requests-per-minute=2000000000 >"$WORK/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; log "log in $WORK"' EXIT
for _ in $(seq 1 3600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" = 200 ] && break; sleep 0.05
done
ADMIN=$(grep -oP 'Admin API key: \K\S+' "$WORK/service.log" | head -n1)
read -r USER_ID KEY < <(bench_user "$BASE" "$ADMIN" "overhead")
VOICE=${TTS_OVERHEAD_VOICE:-$(curl -sf "$BASE/tts/voices" -H "Authorization: Bearer $KEY" | grep -oP '"id":"\Kespeak:en-us' | head -n1 || true)}
VOICE=${VOICE:-mary:cmu-slt-hsmm}
TAG=$(date +%s)
# warm-up: the same number of jobs, not counted
for round in warm measured; do
  for i in $(seq 1 "$SAMPLES"); do echo "Overhead $round $TAG number $i. The committee met on Tuesday."; done >"$WORK/$round.txt"
  "$JAVA" -cp "$CP" -Dtts.bench.voice="$VOICE" -Dtts.bench.wait="${TTS_BENCH_WAIT:-events}" dev.ttsapi.bench.SynthesisBench sequential "$BASE" "$KEY" "$WORK/$round.txt" >/dev/null
done
read -r N Q50 Q99 W50 W99 S50 T50 <<<"$("${PSQL[@]}" -d "$DATABASE" -F' ' -c "
  WITH t AS (
    SELECT extract(epoch FROM r.completed_at - r.created_at) * 1000 AS total,
           extract(epoch FROM r.completed_at - r.started_at) * 1000 AS worked,
           substring(l.detail FROM 'synthesis_ms=([0-9.]+)')::float8 AS synthesis
    FROM requests r JOIN logs l ON l.request_id = r.id AND l.event = 'completed'
    WHERE r.text LIKE 'Overhead measured $TAG %')
  SELECT count(*),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY total - synthesis)::numeric, 2),
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY total - synthesis)::numeric, 2),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY worked - synthesis)::numeric, 2),
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY worked - synthesis)::numeric, 2),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY synthesis)::numeric, 2),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY worked)::numeric, 2)
  FROM t")"
METRICS=$(curl -sf "$BASE/actuator/prometheus" | grep '^tts_worker_overhead_seconds{' |
  sed -n 's/.*phase="\([a-z_]*\)",quantile="\([0-9.]*\)".* \([0-9.eE-]*\)$/\1_p\2=\3/p' | tr '\n' ' ' || true)
# Issue 18's row "short espeak-ng job, taken → stored ÷ espeak-ng's own synthesis time": taken →
# stored is started_at → completed_at (both stamped by the worker: before its start statement, and
# once the audio and its timings are stored, before the completion statement), p50; espeak-ng's own
# time is the same texts spoken one at a time by the same engine class through libespeak-ng in
# this bench JVM (SynthesisBench espeak-direct), p50, after the service has finished its jobs.
RATIO=""
if [[ $VOICE == espeak:* ]]; then
  DIRECT=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.ttsapi.bench.SynthesisBench \
    espeak-direct "$WORK/measured.txt" "${VOICE#espeak:}" | grep -oP 'p50_ms=\K[0-9.]+')
  RATIO="taken_to_stored_p50_ms=$T50 espeak_direct_p50_ms=$DIRECT taken_to_stored_ratio=$(
    awk -v a="$T50" -v b="$DIRECT" 'BEGIN { printf "%.3f", a / b }')"
fi
echo "jar=$(basename "$JAR") voice=$VOICE n=$N queue_overhead_p50_ms=$Q50 queue_overhead_p99_ms=$Q99" \
  "started_to_completed_minus_synthesis_p50_ms=$W50 p99_ms=$W99 synthesis_p50_ms=$S50 $RATIO" \
  "load=$(cut -d' ' -f1 /proc/loadavg) timer_s: $METRICS"
