#!/usr/bin/env bash
# The benchmark of issue 4: every row a ratio of two numbers measured in the same run, so the noisy
# shared machine cancels out. Writes bench/results/<YYYY-MM-DD>.md.
#
#   bench/run.sh
#
# Needs: wrk (apt-get install wrk), curl, psql and redis-cli, PostgreSQL on 127.0.0.1:5432 (user
# postgres, trust) and Redis on 127.0.0.1:6379, a JDK 21+ (JAVA_HOME). espeak-ng is optional (its
# voices are loaded too when present). Installs nothing.
#
# What it does: builds the jar if needed; recreates the database TTS_BENCH_DATABASE (tts_bench)
# and empties Redis db TTS_BENCH_REDIS_DB (0); starts the service from the jar against them
# (first with --roles=api, so submissions stay queued and the submit row measures submission, then
# with every role); creates a user and key through the admin API and raises that user's limits;
# runs each HTTP scenario with wrk in its own process on loopback (Lua scripts in bench/wrk/), and
# the synthesis scenarios with bench's SynthesisBench (src/test/java/dev/ttsapi/bench) in its own
# JVM: raw in-process MaryTTS, MaryTTS's own HTTP server (marytts.server.Mary, same classpath), and
# this service. Everything it started is stopped when it ends.
#
# Scale it with environment variables (defaults in brackets):
#   TTS_BENCH_DURATION [10]      seconds of each wrk scenario
#   TTS_BENCH_WARMUP [8]         seconds of the unmeasured warm-up run of each HTTP path
#   TTS_BENCH_CONNECTIONS [32]   wrk connections of the throughput scenarios (wrk threads:
#                                TTS_BENCH_WRK_THREADS [1])
#   TTS_BENCH_MEMORY_CONNECTIONS [200]  clients of the memory scenario
#   TTS_BENCH_ROUNDS [2]         rounds of the unique-text synthesis comparison, each of
#   TTS_BENCH_TEXTS [10]         texts (the repeated-text workload: one round), each about
#   TTS_BENCH_TEXT_CHARS [250]   characters (one chunk each)
#   TTS_BENCH_DOC_CHARS [20000]  the long document
#   TTS_BENCH_OVERHEAD_SAMPLES [50]  sequential requests for the queue and worker overhead
#   TTS_BENCH_COLD_SECONDS [10]  seconds of submits right after the API-only node is ready (the
#                                warm-up row: that rate ÷ the steady submit rate)
#   TTS_BENCH_PROFILE [1]        1: run submit, status and cache hit once more under JFR's
#                                CPU-time sampler (jcmd) and PostgreSQL wait-event sampling, and
#                                write where the time went into the result (bench/jfr-summary.sh)
#   TTS_BENCH_PORT [18080], TTS_BENCH_MARY_PORT [59135], TTS_BENCH_JAVA_OPTS [] (the service's JVM)
#   TTS_BENCH_REDIS_PORT [6379]  the local Redis's port (a Redis of one's own beside others' runs)
#   TTS_BENCH_JAR []             a jar to measure instead of this checkout's (bench/compare-jars.sh)
#   TTS_BENCH_SERVICE_ARGS []    arguments added to the service's command line (settings an older
#                                jar names differently)
#   TTS_BENCH_HTTP_ONLY [0]      1: stop after the HTTP rows (submit, status, cache hit), write
#                                them as one line to TTS_BENCH_SUMMARY instead of a result file
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-user.sh
ROOT=$(pwd)

DURATION=${TTS_BENCH_DURATION:-10}
WARMUP=${TTS_BENCH_WARMUP:-8}
CONNECTIONS=${TTS_BENCH_CONNECTIONS:-32}
WRK_THREADS=${TTS_BENCH_WRK_THREADS:-1}
MEMORY_CONNECTIONS=${TTS_BENCH_MEMORY_CONNECTIONS:-200}
TEXTS=${TTS_BENCH_TEXTS:-10}
ROUNDS=${TTS_BENCH_ROUNDS:-2}
TEXT_CHARS=${TTS_BENCH_TEXT_CHARS:-250}
DOC_CHARS=${TTS_BENCH_DOC_CHARS:-20000}
OVERHEAD_SAMPLES=${TTS_BENCH_OVERHEAD_SAMPLES:-50}
COLD_SECONDS=${TTS_BENCH_COLD_SECONDS:-10}
PROFILE=${TTS_BENCH_PROFILE:-1}
PORT=${TTS_BENCH_PORT:-18080}
MARY_PORT=${TTS_BENCH_MARY_PORT:-59135}
DATABASE=${TTS_BENCH_DATABASE:-tts_bench}
REDIS_DB=${TTS_BENCH_REDIS_DB:-0}
SERVICE_JAVA_OPTS=${TTS_BENCH_JAVA_OPTS:-}
SERVICE_ARGS=${TTS_BENCH_SERVICE_ARGS:-}
HTTP_ONLY=${TTS_BENCH_HTTP_ONLY:-0}
BASE=http://127.0.0.1:$PORT
CORES=$(nproc)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------------------------------------
# Tools and stores: checked, never installed.
missing=()
command -v wrk >/dev/null || missing+=("wrk (apt-get install wrk)")
command -v curl >/dev/null || missing+=("curl (apt-get install curl)")
command -v psql >/dev/null || missing+=("psql (apt-get install postgresql-client)")
command -v redis-cli >/dev/null || missing+=("redis-cli (apt-get install redis-tools)")
[ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]}"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[ -x "$JAVA_HOME/bin/java" ] || die "set JAVA_HOME to a JDK 21 or newer"
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA)
REDIS_PORT=${TTS_BENCH_REDIS_PORT:-6379}
REDIS=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$REDIS_DB")
"${PSQL[@]}" -d postgres -c 'SELECT 1' >/dev/null || die "no PostgreSQL on 127.0.0.1:5432 (user postgres)"
[ "$("${REDIS[@]}" ping)" = PONG ] || die "no Redis on 127.0.0.1:$REDIS_PORT"
command -v espeak-ng >/dev/null || log "espeak-ng not installed: only MaryTTS's voice is loaded"

# ------------------------------------------------------------------------------------------------
# Build: the jar for the service, the test classes and classpath for SynthesisBench and MaryTTS.
newest_source=$(find src pom.xml -type f -newer target/bench-built 2>/dev/null | head -n1 || true)
if ! ls target/tts-api-*.jar >/dev/null 2>&1 || [ ! -f target/bench-built ] || [ -n "$newest_source" ]; then
  log "building (./mvnw -q -o package -DskipTests)"
  # Offline first (fast); online when a plugin has never been downloaded on this machine.
  ./mvnw -q -o package -DskipTests >/dev/null 2>&1 || ./mvnw -q package -DskipTests >/dev/null ||
    die "build failed (./mvnw -q package -DskipTests)"
  for offline in -o ""; do
    ./mvnw -q $offline dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/bench-classpath.txt >/dev/null 2>&1 && break
  done
  [ -s target/bench-classpath.txt ] || die "could not write the test classpath (maven-dependency-plugin)"
  touch target/bench-built
fi
JAR=${TTS_BENCH_JAR:-$(ls target/tts-api-*.jar | head -n1)}
[ -f "$JAR" ] || die "no jar $JAR"
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/bench-classpath.txt)"
bench() { "$JAVA" -cp "$CP" dev.ttsapi.bench.SynthesisBench "$@"; }

# ------------------------------------------------------------------------------------------------
# Everything started here is stopped on the way out.
WORK=$(mktemp -d /tmp/tts-bench.XXXXXX)
SERVICE_PID=
MARY_PID=
SAMPLER_PID=
stop_pid() {
  local pid=$1 name=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$SAMPLER_PID" "memory sampler"
  stop_pid "$SERVICE_PID" "the service"
  stop_pid "$MARY_PID" "MaryTTS server"
  log "logs and raw output kept in $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RUN_TAG=$(date +%s)
log "work dir $WORK; load average $LOAD_BEFORE on $CORES cores"

# ------------------------------------------------------------------------------------------------
log "recreating database $DATABASE and emptying Redis db $REDIS_DB"
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
"${REDIS[@]}" flushdb >/dev/null
sql() { "${PSQL[@]}" -d "$DATABASE" -c "$1"; }

# Seconds from launching each node to its first 200 from /health/ready, by node name.
declare -A READY_S
start_service() {
  local roles=$1 name=$2
  log "starting the service ($name, --roles=$roles) on port $PORT"
  local launched
  launched=$(date +%s.%N)
  # Limits that would otherwise measure the fair-use and backpressure machinery: the queue limit
  # (submissions pile up while no worker runs), the poll budget, the text length (the document).
  # shellcheck disable=SC2086
  DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DATABASE" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB" PORT=$PORT TTS_DATA_DIR="$WORK/data" \
    "$JAVA" $SERVICE_JAVA_OPTS -jar "$JAR" --roles="$roles" \
    --tts.backpressure.max-queue-depth=100000000 \
    --tts.backpressure.high-priority-max-queue-depth=100000000 \
    --tts.ratelimit.poll-requests-per-minute=2000000000 \
    --tts.request.max-text-length=$((DOC_CHARS + 1000)) \
    --tts.input.max-body-size=$((DOC_CHARS * 4 + 65536))B $SERVICE_ARGS \
    >"$WORK/service-$name.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 9000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" = 200 ]; then
      READY_S[$name]=$(calc "$(date +%s.%N) - $launched" 2)
      log "service ready (pid $SERVICE_PID) ${READY_S[$name]} s after launch"
      return 0
    fi
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -n 30 "$WORK/service-$name.log" >&2; die "the service exited"; }
    sleep 0.02
  done
  die "the service did not become ready in 3 minutes (log: $WORK/service-$name.log)"
}

# wrk_run NAME SCRIPT CONNECTIONS THREADS [SECONDS]: prints the WRK_RESULT line, keeps the output.
wrk_run() {
  local name=$1 script=$2 connections=$3 threads=$4 seconds=${5:-$DURATION}
  log "wrk $name: $connections connections, $threads thread(s), ${seconds}s"
  local cpu_before machine_before
  cpu_before=$(process_cpu_ticks "$SERVICE_PID"); machine_before=$(machine_ticks)
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "bench/wrk/$script" "$BASE" \
    >"$WORK/wrk-$name.txt" 2>&1 || { cat "$WORK/wrk-$name.txt" >&2; die "wrk $name failed"; }
  local result
  result=$(grep '^WRK_RESULT' "$WORK/wrk-$name.txt") || die "no result from wrk $name"
  # What the service's JVM spent per request (user + system CPU), and how busy the whole machine
  # was meanwhile (all processes: ours, wrk, PostgreSQL, Redis and everyone else's).
  local cpu_after machine_after
  cpu_after=$(process_cpu_ticks "$SERVICE_PID"); machine_after=$(machine_ticks)
  result="$result jvm_cpu_ms_per_req=$(calc "($cpu_after - $cpu_before) * 1000 / $CLOCK_TICKS / $(field "$result" requests)" 3)"
  result="$result machine_busy_pct=$(calc "100 * (1 - (${machine_after#* } - ${machine_before#* }) / (${machine_after% *} - ${machine_before% *}))" 0)"
  log "  $result"
  if [ "$(field "$result" non2xx)" != 0 ] || [ "$(field "$result" socket_errors)" != 0 ]; then
    log "  WARNING: $name had failed requests (see $WORK/wrk-$name.txt)"
  fi
  echo "$result"
}
process_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# "total idle" jiffies of all cores (idle includes iowait)
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6 }' /proc/stat; }
CLOCK_TICKS=$(getconf CLK_TCK)
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<" $1"; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

# Cancels what is still queued (in PostgreSQL, and empties the streams, keeping their consumer
# group) so one scenario's leftovers are not synthesized during the next; waits for running jobs.
drain_queue() {
  sql "UPDATE requests SET status = 'cancelled', updated_at = now(), completed_at = now() WHERE status = 'queued'" >/dev/null
  for p in high normal low; do "${REDIS[@]}" XTRIM "{tts}:q:$p" MAXLEN 0 >/dev/null; done
  # The per-user cap's places and held lists name the jobs just cancelled behind the service's back:
  # left there, the next scenario's jobs would be held behind thousands of dead ones until the
  # sweeper freed their places (the 2026-12-01 run lost 23 s of its first synthesis round to it).
  "${REDIS[@]}" DEL "{tts}:q:admitted" "{tts}:q:admitted-count" "{tts}:q:holders" "{tts}:q:held-count" >/dev/null
  "${REDIS[@]}" --scan --pattern '{tts}:q:held:*' | while read -r key; do "${REDIS[@]}" DEL "$key" >/dev/null; done
  for _ in $(seq 1 600); do
    [ "$(sql "SELECT count(*) FROM requests WHERE status = 'processing'")" = 0 ] && return 0
    sleep 0.1
  done
  log "WARNING: jobs still processing after 60 s"
}

# profile_run NAME SCRIPT: the scenario once more (not one of the measured runs) under JFR's CPU-time
# sampler (jcmd on the service's pid; it counts time in system calls too, which the execution
# sampler of POST /admin/profile misses), with PostgreSQL's wait events sampled meanwhile.
profile_run() {
  local name=$1 script=$2
  log "profiling $name (JFR CPU-time sampler; PostgreSQL wait events)"
  "$JAVA_HOME/bin/jcmd" "$SERVICE_PID" JFR.start name="bench-$name" settings=profile \
    'jdk.CPUTimeSample#enabled=true' 'jdk.CPUTimeSample#throttle=2ms' \
    filename="$WORK/$name.jfr" >/dev/null
  (while :; do
    sql "SELECT coalesce(wait_event_type, 'on CPU') || ' ' || coalesce(wait_event, '') FROM pg_stat_activity
         WHERE datname = '$DATABASE' AND state = 'active' AND pid <> pg_backend_pid()" || true
    sleep 0.2
  done >"$WORK/$name-pg-waits.txt" 2>/dev/null) &
  local waits_pid=$!
  PROFILED=$(TTS_BENCH_RUN="$RUN_TAG-prof-$name" wrk_run "$name-profiled" "$script" "$CONNECTIONS" "$WRK_THREADS")
  kill "$waits_pid" 2>/dev/null; wait "$waits_pid" 2>/dev/null || true
  "$JAVA_HOME/bin/jcmd" "$SERVICE_PID" JFR.stop name="bench-$name" >/dev/null
  {
    echo "profiled run: $PROFILED"
    bench/jfr-summary.sh "$WORK/$name.jfr" 22 || echo "(no JFR summary)"
    echo "PostgreSQL sessions of $DATABASE seen active (every 0.2 s), by wait event:"
    sort "$WORK/$name-pg-waits.txt" | uniq -c | sort -rn | head -n 6 | sed 's/^/  /'
  } >"$WORK/$name-profile.txt" 2>&1
}

# ================================================================================================
# Phase 0: an API-only node resolves voices from what workers published (engine_catalog), and
# this database is new: a node with the worker role starts once to publish them (and to print the
# admin key), as a worker would in any cluster before the first request.
start_service api,worker publisher
ADMIN_KEY=$(grep -oP 'Admin API key: \K\S+' "$WORK/service-publisher.log" | head -n1)

# The bench user is made on this node too, so the API-only node below can be measured from the
# moment it is ready.
[ -n "$ADMIN_KEY" ] || die "no admin key in the service log"
read -r USER_ID KEY < <(bench_user "$BASE" "$ADMIN_KEY" "bench-$RUN_TAG")
log "bench user $USER_ID, limits raised"
export TTS_BENCH_KEY=$KEY
stop_pid "$SERVICE_PID" "the publishing node"
SERVICE_PID=

# Phase 1: API-only node; nothing takes jobs from the queue. Submits start the moment it is ready:
# the rate of those first seconds, before any warm-up, against the steady rate measured later.
start_service api api-only
COLD=$(TTS_BENCH_RUN="$RUN_TAG-cold" wrk_run submit-cold submit.lua "$CONNECTIONS" "$WRK_THREADS" "$COLD_SECONDS")

# Unmeasured warm-up of every path first (the JIT compiles the HTTP stack, the pools fill; the
# profiled runs, when on, add to it), then
# each scenario between two baseline runs: its ratio divides by their mean, so a change of the
# machine's load during the run moves numerator and denominator alike.
wrk_run warm-health health.lua "$CONNECTIONS" "$WRK_THREADS" "$WARMUP" >/dev/null
TTS_BENCH_RUN="$RUN_TAG-warm" wrk_run warm-submit submit.lua "$CONNECTIONS" "$WRK_THREADS" "$WARMUP" >/dev/null
export TTS_BENCH_IDS="$WORK/ids.txt"
sql "SELECT id FROM requests WHERE user_id = '$USER_ID' ORDER BY random() LIMIT 10000" >"$TTS_BENCH_IDS"
wrk_run warm-status status.lua "$CONNECTIONS" "$WRK_THREADS" "$WARMUP" >/dev/null

# The profiled runs come before the measured ones: they warm the JIT further too.
if [ "$PROFILE" = 1 ]; then
  profile_run submit submit.lua
  profile_run status status.lua
fi

H1=$(wrk_run health-1 health.lua "$CONNECTIONS" "$WRK_THREADS")
SUBMIT=$(TTS_BENCH_RUN="$RUN_TAG-max" wrk_run submit submit.lua "$CONNECTIONS" "$WRK_THREADS")
H2=$(wrk_run health-2 health.lua "$CONNECTIONS" "$WRK_THREADS")
sql "SELECT id FROM requests WHERE user_id = '$USER_ID' ORDER BY random() LIMIT 10000" >"$TTS_BENCH_IDS"
STATUS=$(wrk_run status status.lua "$CONNECTIONS" "$WRK_THREADS")
H3=$(wrk_run health-3 health.lua "$CONNECTIONS" "$WRK_THREADS")

# Half the submit rate: wrk 4 has no rate option, so every connection pauses after each answer.
# A short run with the pause computed from the target measures the answer time at that load; the
# measured run then pauses that much less.
SUBMIT_RPS=$(field "$SUBMIT" rps)
TARGET=$(calc "$SUBMIT_RPS / 2" 1)
HALF_CONNECTIONS=$CONNECTIONS
PAUSE=$(calc "$HALF_CONNECTIONS * 1000 / $TARGET" 0)
CAL=$(TTS_BENCH_DELAY_MS=$PAUSE TTS_BENCH_RUN="$RUN_TAG-cal" wrk_run submit-half-calibration submit.lua "$HALF_CONNECTIONS" "$WRK_THREADS" 3)
CYCLE=$(calc "$HALF_CONNECTIONS * 1000 / $(field "$CAL" rps)" 3)
PAUSE=$(calc "($PAUSE - ($CYCLE - $PAUSE)) < 0 ? 0 : $PAUSE - ($CYCLE - $PAUSE)" 0)
HALF=$(TTS_BENCH_DELAY_MS=$PAUSE TTS_BENCH_RUN="$RUN_TAG-half" wrk_run submit-half submit.lua "$HALF_CONNECTIONS" "$WRK_THREADS")
# The API-only node's memory after all of that: now, and its peak.
API_RSS_KB=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVICE_PID/status")
API_HWM_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVICE_PID/status")

stop_pid "$SERVICE_PID" "the API-only node"
SERVICE_PID=

drain_queue

# ================================================================================================
# Phase 2: one node with every role (API, workers, maintenance), as `java -jar` runs by default.
start_service api,worker,maintenance all-roles

log "synthesizing the texts of the cache-hit scenario"
bench texts "$WORK/hit-texts.txt" 16 80 0 "$((RUN_TAG + 1))"
bench ours "$BASE" "$KEY" "$WORK/hit-texts.txt" | grep '^RESULT' >/dev/null
export TTS_BENCH_TEXTS="$WORK/hit-texts.txt"
wrk_run warm-health-all health.lua "$CONNECTIONS" "$WRK_THREADS" "$WARMUP" >/dev/null
wrk_run warm-cache-hit cachehit.lua "$CONNECTIONS" "$WRK_THREADS" "$WARMUP" >/dev/null
if [ "$PROFILE" = 1 ]; then profile_run cache-hit cachehit.lua; fi
H4=$(wrk_run health-4 health.lua "$CONNECTIONS" "$WRK_THREADS")
HIT_FROM=$(date -u +'%F %T.%6N+00')
HIT=$(wrk_run cache-hit cachehit.lua "$CONNECTIONS" "$WRK_THREADS")
HIT_TO=$(date -u +'%F %T.%6N+00')
H5=$(wrk_run health-5 health.lua "$CONNECTIONS" "$WRK_THREADS")
unset TTS_BENCH_TEXTS
HIT_MISSES=$(sql "SELECT count(*) FROM requests WHERE user_id = '$USER_ID' AND created_at BETWEEN '$HIT_FROM' AND '$HIT_TO' AND NOT cache_hit")

if [ "$HTTP_ONLY" = 1 ]; then
  baseline() { calc "($(field "$1" rps) + $(field "$2" rps)) / 2" 1; }
  echo "jar=$(basename "$JAR") load=$(cut -d' ' -f1 /proc/loadavg)" \
    "submit_rps=$(field "$SUBMIT" rps) submit_ratio=$(calc "$(field "$SUBMIT" rps) / $(baseline "$H1" "$H2")" 3)" \
    "submit_p99_ms=$(field "$SUBMIT" p99_ms) submit_cpu_ms=$(field "$SUBMIT" jvm_cpu_ms_per_req)" \
    "status_rps=$(field "$STATUS" rps) status_ratio=$(calc "$(field "$STATUS" rps) / $(baseline "$H2" "$H3")" 3)" \
    "status_cpu_ms=$(field "$STATUS" jvm_cpu_ms_per_req)" \
    "hit_rps=$(field "$HIT" rps) hit_ratio=$(calc "$(field "$HIT" rps) / $(baseline "$H4" "$H5")" 3)" \
    "hit_cpu_ms=$(field "$HIT" jvm_cpu_ms_per_req) hit_misses=$HIT_MISSES" \
    "half_p99_ms=$(field "$HALF" p99_ms)" >>"${TTS_BENCH_SUMMARY:?set TTS_BENCH_SUMMARY}"
  log "HTTP rows written to $TTS_BENCH_SUMMARY"
  exit 0
fi

log "memory: $MEMORY_CONNECTIONS clients submitting new texts while the workers synthesize"
: >"$WORK/rss.txt"
(while kill -0 "$SERVICE_PID" 2>/dev/null; do
  awk '/VmRSS/ { print $2 }' "/proc/$SERVICE_PID/status" >>"$WORK/rss.txt"; sleep 0.5
done) &
SAMPLER_PID=$!
MEMORY=$(TTS_BENCH_RUN="$RUN_TAG-mem" wrk_run memory submit.lua "$MEMORY_CONNECTIONS" 2)
stop_pid "$SAMPLER_PID" "memory sampler"
SAMPLER_PID=
RSS_MAX_KB=$(sort -n "$WORK/rss.txt" | tail -n1)
RSS_PEAK_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVICE_PID/status")
drain_queue

# ---- synthesis: raw MaryTTS, MaryTTS's HTTP server, this service, on the same texts ------------
log "starting MaryTTS's own HTTP server on port $MARY_PORT (in $WORK/mary)"
mkdir -p "$WORK/mary"
# MaryTTS's modules log at INFO; like the service (logging.level.marytts=WARN), only warnings.
cat >"$WORK/mary/logback.xml" <<'XML'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d %level %logger %msg%n</pattern></encoder>
  </appender>
  <logger name="marytts" level="WARN"/>
  <root level="INFO"><appender-ref ref="out"/></root>
</configuration>
XML
(cd "$WORK/mary" && exec "$JAVA" -Dsocket.port="$MARY_PORT" -Dmary.base="$WORK/mary" \
  -Dlogback.configurationFile="$WORK/mary/logback.xml" \
  -cp "$CP" marytts.server.Mary >"$WORK/mary/stdout.log" 2>&1) &
MARY_PID=$!
for _ in $(seq 1 1800); do
  curl -sf "http://127.0.0.1:$MARY_PORT/version" >/dev/null && break
  kill -0 "$MARY_PID" 2>/dev/null || die "MaryTTS server exited (see $WORK/mary)"
  sleep 0.1
done
curl -sf "http://127.0.0.1:$MARY_PORT/version" >/dev/null || die "MaryTTS server did not start"

# Unique texts in ROUNDS rounds, each with new texts spoken by all three in turn, so a change of
# the machine's load during the runs falls on all three alike; chars/s over all rounds.
RAW_ALL=; OURS_ALL=; MARY_ALL=
for round in $(seq 1 "$ROUNDS"); do
  bench texts "$WORK/unique-$round.txt" "$TEXTS" "$TEXT_CHARS" 0 "$((RUN_TAG + 10 + round))"
  log "unique texts, round $round of $ROUNDS: raw MaryTTS in process, $CORES threads"
  r=$(bench raw "$CORES" "$WORK/unique-$round.txt" 2>>"$WORK/raw.log" | grep '^RESULT'); log "  $r"; RAW_ALL+="$r"$'\n'
  log "unique texts, round $round: this service"
  c0=$(process_cpu_ticks "$SERVICE_PID")
  r=$(bench ours "$BASE" "$KEY" "$WORK/unique-$round.txt" | grep '^RESULT')
  r="$r cpu_s=$(calc "($(process_cpu_ticks "$SERVICE_PID") - $c0) / $CLOCK_TICKS" 2)"; log "  $r"; OURS_ALL+="$r"$'\n'
  log "unique texts, round $round: MaryTTS server, $CORES clients"
  c0=$(process_cpu_ticks "$MARY_PID")
  r=$(bench mary-http "$MARY_PORT" "$CORES" "$WORK/unique-$round.txt" | grep '^RESULT')
  r="$r cpu_s=$(calc "($(process_cpu_ticks "$MARY_PID") - $c0) / $CLOCK_TICKS" 2)"; log "  $r"; MARY_ALL+="$r"$'\n'
done
# "RESULT ... chars=N seconds=S chars_per_s=C" of all rounds added up
total() { awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "chars") c += kv[2]; if (kv[1] == "seconds") s += kv[2]; if (kv[1] == "cpu_s") u += kv[2] } }
  END { printf "RESULT rounds=%d chars=%d seconds=%.3f chars_per_s=%.1f cpu_s=%.2f chars_per_cpu_s=%.1f\n", NR, c, s, c / s, u, c / u }' <<<"${1%$'\n'}"; }
RAW=$(total "$RAW_ALL"); OURS=$(total "$OURS_ALL"); MARY=$(total "$MARY_ALL")
# How much a second thread buys on this machine right now (other people's work takes cores too):
# raw MaryTTS on round 1's texts with one thread, against its two-thread run above.
log "raw MaryTTS on round 1's texts with one thread (parallel speedup available)"
RAW_ONE=$(bench raw 1 "$WORK/unique-1.txt" 2>>"$WORK/raw.log" | grep '^RESULT'); log "  $RAW_ONE"
SPEEDUP=$(calc "$(field "$(head -n1 <<<"$RAW_ALL")" chars_per_s) / $(field "$RAW_ONE" chars_per_s)" 2)
bench texts "$WORK/repeated.txt" "$TEXTS" "$TEXT_CHARS" 0.5 "$((RUN_TAG + 3))"
REPEATS=$(( TEXTS - $(sort -u "$WORK/repeated.txt" | wc -l) ))
log "50 % repeated texts ($REPEATS of $TEXTS repeat an earlier one): this service"
OURS_REP=$(bench ours "$BASE" "$KEY" "$WORK/repeated.txt" | grep '^RESULT'); log "  $OURS_REP"
# The same run's cost of those texts' unique ones alone, never synthesized yet: as PCM (another
# content key, the same synthesis; WAV only adds a 44-byte header). A repeat that costs nothing,
# and a slot that never idles while a duplicate waits, make the two times equal.
awk '!seen[$0]++' "$WORK/repeated.txt" >"$WORK/repeated-unique.txt"
log "the $(wc -l <"$WORK/repeated-unique.txt") unique texts of those alone: this service"
OURS_REP_UNIQ=$(bench ours "$BASE" "$KEY" "$WORK/repeated-unique.txt" pcm | grep '^RESULT'); log "  $OURS_REP_UNIQ"
log "50 % repeated texts: MaryTTS server, $CORES clients"
MARY_REP=$(bench mary-http "$MARY_PORT" "$CORES" "$WORK/repeated.txt" | grep '^RESULT'); log "  $MARY_REP"
stop_pid "$MARY_PID" "MaryTTS server"
MARY_PID=

bench texts "$WORK/document.txt" 1 "$DOC_CHARS" 0 "$((RUN_TAG + 4))"
log "document of $(wc -m <"$WORK/document.txt") characters: raw MaryTTS, one thread, one call"
DOC_SEQ=$(bench raw 1 "$WORK/document.txt" 2>>"$WORK/raw.log" | grep '^RESULT'); log "  $DOC_SEQ"
log "the same document: this service"
c0=$(process_cpu_ticks "$SERVICE_PID")
DOC_OURS=$(bench ours "$BASE" "$KEY" "$WORK/document.txt" | grep '^RESULT')
DOC_OURS="$DOC_OURS cpu_s=$(calc "($(process_cpu_ticks "$SERVICE_PID") - $c0) / $CLOCK_TICKS" 2)"; log "  $DOC_OURS"

log "queue overhead: $OVERHEAD_SAMPLES short texts, one at a time"
for i in $(seq 1 "$OVERHEAD_SAMPLES"); do
  echo "Overhead check $RUN_TAG number $i. The committee met on Tuesday."
done >"$WORK/overhead.txt"
SEQ=$(bench sequential "$BASE" "$KEY" "$WORK/overhead.txt" | grep '^RESULT'); log "  $SEQ"
OVERHEAD=$(sql "
  WITH t AS (
    SELECT extract(epoch FROM r.completed_at - r.created_at) * 1000 AS total,
           extract(epoch FROM r.started_at - r.created_at) * 1000 AS waited,
           substring(l.detail FROM 'synthesis_ms=([0-9.]+)')::float8 AS synthesis
    FROM requests r JOIN logs l ON l.request_id = r.id AND l.event = 'completed'
    WHERE r.user_id = '$USER_ID' AND r.text LIKE 'Overhead check $RUN_TAG %')
  SELECT count(*) || ' ' ||
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY total - synthesis)::numeric, 1) || ' ' ||
    round(percentile_cont(0.9) WITHIN GROUP (ORDER BY total - synthesis)::numeric, 1) || ' ' ||
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY total - synthesis)::numeric, 1) || ' ' ||
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY waited)::numeric, 1) || ' ' ||
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY synthesis)::numeric, 1) || ' ' ||
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY total)::numeric, 1) || ' ' ||
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY total - waited - synthesis)::numeric, 1)
  FROM t WHERE synthesis IS NOT NULL")
read -r OH_N OH_P50 OH_P90 OH_P99 OH_WAIT OH_SYNTH OH_TOTAL OH_WORKER <<<"$OVERHEAD"
log "  overhead p50 $OH_P50 ms, p99 $OH_P99 ms (n=$OH_N)"
# The worker's own overhead per job, from its timer (tts_worker_overhead_seconds, p50 and p99
# over the last minutes: these sequential short jobs and the document before them): from taking
# a job to the engine's start, and from the stored audio to the acknowledgement.
curl -sf "$BASE/actuator/prometheus" >"$WORK/metrics-after-overhead.txt" || true
worker_quantile() {
  awk -v phase="$1" -v q="$2" '/^tts_worker_overhead_seconds\{/ && index($0, "phase=\"" phase "\"") &&
    index($0, "quantile=\"" q "\"") { printf "%.2f", $NF * 1000; found = 1; exit }
    END { if (!found) printf "n/a" }' "$WORK/metrics-after-overhead.txt"
}
WO_BEFORE_P50=$(worker_quantile before_engine 0.5); WO_AFTER_P50=$(worker_quantile after_engine 0.5)
WO_BEFORE_P99=$(worker_quantile before_engine 0.99); WO_AFTER_P99=$(worker_quantile after_engine 0.99)
WO_P50=$(calc "${WO_BEFORE_P50/n\/a/0} + ${WO_AFTER_P50/n\/a/0}" 2)
log "  worker overhead p50: before the engine $WO_BEFORE_P50 ms, after it $WO_AFTER_P50 ms"

# --- issue 18: short espeak-ng job, taken → stored ÷ espeak-ng's own synthesis time -------------
# The same short texts, one at a time, to espeak-ng's voice; taken → stored is started_at →
# completed_at (the worker's stamps: before its start statement, and once audio and timings are
# stored, before the completion), p50; espeak-ng's own time is the same texts through the same
# engine class and libespeak-ng in a bench JVM, one at a time (SynthesisBench espeak-direct), p50.
ES_TAKEN=n/a ES_DIRECT=n/a ES_RATIO=n/a
if command -v espeak-ng >/dev/null; then
  sed 's/^Overhead check/Espeak check/' "$WORK/overhead.txt" >"$WORK/espeak.txt"
  "$JAVA" -cp "$CP" -Dtts.bench.voice=espeak:en-us dev.ttsapi.bench.SynthesisBench sequential \
    "$BASE" "$KEY" "$WORK/espeak.txt" >/dev/null
  ES_TAKEN=$(sql "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY
      extract(epoch FROM completed_at - started_at) * 1000)::numeric, 2)
    FROM requests WHERE user_id = '$USER_ID' AND text LIKE 'Espeak check $RUN_TAG %'")
  ES_DIRECT=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.ttsapi.bench.SynthesisBench \
    espeak-direct "$WORK/espeak.txt" en-us | grep -oP 'p50_ms=\K[0-9.]+')
  ES_RATIO=$(calc "$ES_TAKEN / $ES_DIRECT" 3)
  log "  espeak-ng short job: taken → stored p50 $ES_TAKEN ms, espeak-ng alone p50 $ES_DIRECT ms"
fi
# --- end of the espeak-ng row's block -------------------------------------------------------------

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ================================================================================================
# The result file.
mean() { calc "($(field "$1" rps) + $(field "$2" rps)) / 2" 1; }
B12=$(mean "$H1" "$H2"); B23=$(mean "$H2" "$H3"); B45=$(mean "$H4" "$H5")
r_submit=$(calc "$(field "$SUBMIT" rps) / $B12" 3)
r_status=$(calc "$(field "$STATUS" rps) / $B23" 3)
r_hit=$(calc "$(field "$HIT" rps) / $B45" 3)
r_raw=$(calc "$(field "$OURS" chars_per_s) / $(field "$RAW" chars_per_s)" 3)
r_mary=$(calc "$(field "$OURS" chars_per_s) / $(field "$MARY" chars_per_s)" 3)
r_mary_rep=$(calc "$(field "$OURS_REP" chars_per_s) / $(field "$MARY_REP" chars_per_s)" 3)
r_doc=$(calc "$(field "$DOC_SEQ" seconds) / $(field "$DOC_OURS" seconds)" 3)
half_p99=$(field "$HALF" p99_ms)
rss_mb=$(calc "$RSS_MAX_KB / 1024" 0)
peak_mb=$(calc "$RSS_PEAK_KB / 1024" 0)
ok() { awk "BEGIN { exit !($1) }" && echo yes || echo "**no**"; }
# issue 18's rows
r_cold=$(calc "$(field "$COLD" rps) / $(field "$SUBMIT" rps)" 3)
r_rep_alone=$(calc "$(field "$OURS_REP" seconds) / $(field "$OURS_REP_UNIQ" seconds)" 3)
r_cpu_chars=$(calc "$(field "$OURS" chars_per_cpu_s) / $(field "$RAW" chars_per_cpu_s)" 3)
r_doc_cpu=$(calc "$(field "$DOC_OURS" cpu_s) / $(field "$DOC_SEQ" cpu_s)" 3)
api_rss_mb=$(calc "$API_RSS_KB / 1024" 0)
api_peak_mb=$(calc "$API_HWM_KB / 1024" 0)
ok_num() { [[ $1 =~ ^[0-9.]+$ ]] && ok "$1 $2" || echo "n/a"; }

DAY=$(date -u +%F)
OUT=bench/results/$DAY.md
mkdir -p bench/results
{
  echo "# Benchmark $DAY"
  echo
  echo "\`bench/run.sh\` at commit \`$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes')\`,"
  echo "$(date -u +'%F %T') UTC. Machine: $CORES cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)),"
  echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), shared with other work: load average"
  echo "$LOAD_BEFORE before, $LOAD_AFTER after (1, 5, 15 min). $("$JAVA" -version 2>&1 | head -n1);"
  echo "$(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2). Every row divides two numbers taken in this run."
  echo
  echo "| scenario | measured | ratio | goal | met |"
  echo "|---|---|---|---|---|"
  echo "| trivial endpoint \`GET /health\`, baseline: runs before and after each scenario | $(field "$H1" rps), $(field "$H2" rps), $(field "$H3" rps) req/s (API-only node); $(field "$H4" rps), $(field "$H5" rps) (all roles) | 1 | | |"
  echo "| submit \`POST /tts/request\`, cache miss, queued (API-only node) | $(field "$SUBMIT" rps) req/s | $r_submit of baseline | ≥ 0.25 | $(ok "$r_submit >= 0.25") |"
  echo "| submit at about half that rate: p99 | $(field "$HALF" rps) req/s achieved, p99 $half_p99 ms (p50 $(field "$HALF" p50_ms) ms) | | p99 < 50 ms | $(ok "$half_p99 < 50") |"
  echo "| status \`GET /tts/status/{id}\` | $(field "$STATUS" rps) req/s | $r_status of baseline | ≥ 0.6 | $(ok "$r_status >= 0.6") |"
  echo "| cache hit \`POST\` of synthesized text (all-roles node; $HIT_MISSES misses) | $(field "$HIT" rps) req/s | $r_hit of baseline | ≥ 0.3 | $(ok "$r_hit >= 0.3") |"
  echo "| unique texts end to end, chars/s, vs raw in-process MaryTTS ($CORES threads) | $(field "$OURS" chars_per_s) vs $(field "$RAW" chars_per_s) | $r_raw | ≥ 0.9 | $(ok "$r_raw >= 0.9") |"
  echo "| the same vs MaryTTS's HTTP server ($CORES clients), unique texts | $(field "$OURS" chars_per_s) vs $(field "$MARY" chars_per_s) chars/s | $r_mary | ≥ 1.0 | $(ok "$r_mary >= 1.0") |"
  echo "| the same, 50 % repeated texts ($REPEATS of $TEXTS) | $(field "$OURS_REP" chars_per_s) vs $(field "$MARY_REP" chars_per_s) chars/s | $r_mary_rep | (was ≥ 5, impossible by construction; replaced by issue 18's repeats row) | |"
  echo "| $(wc -m <"$WORK/document.txt")-character document, time to completed: raw MaryTTS one thread one call ÷ ours | $(field "$DOC_SEQ" seconds) s ÷ $(field "$DOC_OURS" seconds) s | $r_doc | ≥ 1.7 on 2 cores | $(ok "$r_doc >= 1.7") |"
  echo "| (context) CPU spent per character, unique texts: characters per CPU-second, ours (the service's JVM, all its threads) vs raw MaryTTS vs MaryTTS's server | $(field "$OURS" chars_per_cpu_s) vs $(field "$RAW" chars_per_cpu_s) vs $(field "$MARY" chars_per_cpu_s) | $(calc "$(field "$OURS" chars_per_cpu_s) / $(field "$RAW" chars_per_cpu_s)" 3) of raw, $(calc "$(field "$OURS" chars_per_cpu_s) / $(field "$MARY" chars_per_cpu_s)" 3) of the server | | |"
  echo "| (context) raw MaryTTS, $CORES threads ÷ 1 thread, same texts: the parallel speedup the machine offered | | $SPEEDUP | | |"
  echo "| queue overhead: submit→completed minus synthesis, p50 (n=$OH_N, p90 $OH_P90 ms) | $OH_P50 ms | absolute | < 10 ms | $(ok "$OH_P50 < 10") |"
  echo "| memory: RSS, all voices loaded, $MEMORY_CONNECTIONS clients (max sampled / peak VmHWM) | $rss_mb MiB / $peak_mb MiB | absolute | < 1 GB | $(ok "$RSS_PEAK_KB < 976562") |"
  echo
  echo "## Goals of issue 18"
  echo
  echo "Each row a ratio of two numbers of this run, or a measured absolute; the issue's goal beside it."
  echo
  echo "| row | measured | goal | met |"
  echo "|---|---|---|---|"
  echo "| submit ÷ trivial endpoint | $r_submit | ≥ 0.25 | $(ok "$r_submit >= 0.25") |"
  echo "| status ÷ trivial endpoint | $r_status | ≥ 0.6 | $(ok "$r_status >= 0.6") |"
  echo "| cache hit ÷ trivial endpoint | $r_hit | ≥ 0.3 | $(ok "$r_hit >= 0.3") |"
  echo "| submit p99 at half the peak rate | $half_p99 ms | < 10 ms | $(ok "$half_p99 < 10") |"
  echo "| characters per CPU-second, ours ÷ raw MaryTTS (unique texts) | $r_cpu_chars | ≥ 1.2 | $(ok "$r_cpu_chars >= 1.2") |"
  echo "| 50 % repeats: time for the $TEXTS texts ÷ time for their $(wc -l <"$WORK/repeated-unique.txt") unique texts alone | $(field "$OURS_REP" seconds) s ÷ $(field "$OURS_REP_UNIQ" seconds) s = $r_rep_alone | ≤ 1.05 | $(ok "$r_rep_alone <= 1.05") |"
  echo "| document: CPU-seconds per character, ours ÷ raw one-call MaryTTS | $(field "$DOC_OURS" cpu_s) s ÷ $(field "$DOC_SEQ" cpu_s) s = $r_doc_cpu | ≤ 1.05 | $(ok "$r_doc_cpu <= 1.05") |"
  echo "| document: wall clock, raw one-call ÷ ours | $r_doc | ≥ 1.7 on 2 cores | $(ok "$r_doc >= 1.7") |"
  echo "| queue overhead p50 / p99 (n=$OH_N) | $OH_P50 ms / $OH_P99 ms | < 5 ms / < 20 ms | $(ok "$OH_P50 < 5 && $OH_P99 < 20") |"
  echo "| RSS: all-roles node at $MEMORY_CONNECTIONS clients (peak) / API-only node (peak, after its scenarios) | $peak_mb MiB / $api_peak_mb MiB (now $api_rss_mb) | < 700 MiB / < 300 MiB | $(ok "$peak_mb < 700 && $api_peak_mb < 300") |"
  echo "| start to ready: all roles / API-only | ${READY_S[all-roles]} s / ${READY_S[api-only]} s | < 3 s / < 1.5 s | $(ok "${READY_S[all-roles]} < 3 && ${READY_S[api-only]} < 1.5") |"
  echo "| submit rate in the first ${COLD_SECONDS} s after ready ÷ steady state | $(field "$COLD" rps) ÷ $(field "$SUBMIT" rps) req/s = $r_cold | ≥ 0.7 | $(ok "$r_cold >= 0.7") |"
  echo "| worker overhead per job p50 (taken → engine starts + engine ends → acked) | $WO_BEFORE_P50 + $WO_AFTER_P50 = $WO_P50 ms (p99 $WO_BEFORE_P99 / $WO_AFTER_P99 ms) | < 2 ms | $(ok_num "$WO_P50" "< 2") |"
  echo "| short espeak-ng job, taken → stored ÷ espeak-ng's own synthesis time, p50 (n=$OH_N) | $ES_TAKEN ms ÷ $ES_DIRECT ms = $ES_RATIO | ≤ 1.1 | $([ "$ES_RATIO" = n/a ] || ok "$ES_RATIO <= 1.1") |"
  echo
  echo "What each wrk run cost the service's JVM (user + system CPU per request; a cost ratio the machine's load"
  echo "hardly moves) and how busy the whole machine was meanwhile:"
  echo
  echo "| run | req/s | p99 ms | JVM CPU ms/request | machine busy |"
  echo "|---|---|---|---|---|"
  for v in COLD H1 SUBMIT H2 STATUS H3 HALF H4 HIT H5 MEMORY; do
    echo "| $v | $(field "${!v}" rps) | $(field "${!v}" p99_ms) | $(field "${!v}" jvm_cpu_ms_per_req) | $(field "${!v}" machine_busy_pct) % |"
  done
  echo
  echo "## Method"
  echo
  echo "- wrk ($WRK_THREADS thread(s), $CONNECTIONS connections, ${DURATION} s each, its own process, loopback;"
  echo "  Lua in \`bench/wrk/\`), after an unmeasured ${WARMUP} s warm-up of each path. Each throughput scenario runs between"
  echo "  two baseline runs and is divided by their mean. The service is \`java ${SERVICE_JAVA_OPTS:+$SERVICE_JAVA_OPTS }-jar $(basename "$JAR")\` with"
  echo "  \`DATABASE_URL\`/\`REDIS_URL\` on the local PostgreSQL (database \`$DATABASE\`, new) and Redis (db $REDIS_DB, emptied),"
  echo "  the bench user's limits raised through \`PUT /admin/users/{id}/limits\`, the queue-depth 503 and the poll budget raised by"
  echo "  properties. Rate limiting, quota, access log (one line per request to stdout) stay on, as by default."
  echo "- Submit: unique text per request (a Lua counter), on an API-only node (\`--roles=api\`), so every request is a"
  echo "  cache miss queued in PostgreSQL and Redis and nothing is synthesized meanwhile. Status: ids of those requests."
  echo "- Half load: wrk 4 cannot fix a rate and wrk2 is not in Debian, so each of the $HALF_CONNECTIONS connections pauses"
  echo "  ${PAUSE} ms after each answer (a 3 s calibration run at the target measured the answer time and the pause"
  echo "  was shortened by it). Target $TARGET req/s, achieved $(field "$HALF" rps) req/s. wrk measures each request"
  echo "  from its send, so with pauses there is no coordinated omission to hide."
  echo "- Cache hit: 16 short texts synthesized first, then POSTed again in turn; every answer is \`cache_hit\`"
  echo "  ($HIT_MISSES requests of the run were not). Measured on the all-roles node against that node's baseline."
  echo "- Synthesis: $ROUNDS rounds of $TEXTS new texts of about $TEXT_CHARS characters (one chunk each), each round spoken by raw MaryTTS"
  echo "  (\`LocalMaryInterface\`, voice cmu-slt-hsmm, $CORES threads, each audio stream read to its end, 4 warm-up"
  echo "  sentences per thread), by this service (WAV, submitted by 8 clients then polled; its workers have"
  echo "  $CORES synthesis threads, the default one per core; the time runs from the first submit to the last completion"
  echo "  seen) and by \`marytts.server.Mary\` (\`POST /process\`, WAVE_FILE, $CORES clients; its GET form answers 404 with the httpcore-nio on our classpath; MaryTTS logging at WARN as in the service). Repeated: $REPEATS of the"
  echo "  $TEXTS texts repeat an earlier text of the list."
  echo "- Document: raw MaryTTS speaks the whole document in one call on one thread (sequential, one chunk);"
  echo "  the service splits it into sentence chunks of at most 400 characters, synthesized on $CORES threads."
  echo "- Queue overhead: short texts submitted one at a time (the next when the last is completed), so none waits"
  echo "  behind another. From PostgreSQL: completed_at − created_at (the UUIDv7's millisecond) minus \`synthesis_ms\`,"
  echo "  which the worker records in the completed event (synthesis, encoding and storing the audio). p50s: queue"
  echo "  wait (created→started) $OH_WAIT ms; started→completed minus synthesis $OH_WORKER ms; synthesis $OH_SYNTH ms;"
  echo "  total $OH_TOTAL ms. Worker overhead: the worker's timer \`tts_worker_overhead_seconds\` (p50/p99 of its"
  echo "  last minutes, read from \`/actuator/prometheus\` right after these jobs), from taking a job to the"
  echo "  engine's start and from the stored audio to the acknowledgement; jobs that only waited for a duplicate"
  echo "  are not in it. The row adds the two p50s."
  echo "- Start to ready: from launching \`java -jar\` to the first 200 of \`/health/ready\` (polled every 20 ms)."
  echo "  First seconds: wrk submits for ${COLD_SECONDS} s from the moment the API-only node is ready, before any"
  echo "  warm-up run; divided by the steady submit row measured later on the same node."
  echo "- 50 % repeats alone: the unique texts of the repeated list, submitted as PCM (a new content key, the same"
  echo "  synthesis) right after the list itself, same clients and polling."
  echo "- Memory: VmRSS of the all-roles JVM sampled every 0.5 s while $MEMORY_CONNECTIONS wrk connections submit new"
  echo "  texts and the workers synthesize them ($(field "$MEMORY" rps) req/s); VmHWM is the process's peak over the whole run."
  echo
  echo "## Raw output"
  echo
  echo '```'
  for v in COLD H1 SUBMIT H2 STATUS H3 CAL HALF H4 HIT H5 MEMORY; do echo "$v $(tr -s ' ' <<<"${!v}")"; done
  for v in RAW_ALL OURS_ALL MARY_ALL; do sed "s/^RESULT /$v /" <<<"${!v%$'\n'}"; done
  for v in RAW OURS MARY RAW_ONE OURS_REP OURS_REP_UNIQ MARY_REP DOC_SEQ DOC_OURS SEQ; do echo "$v ${!v#RESULT }"; done
  echo '```'
  if [ "$PROFILE" = 1 ]; then
    for name in submit status cache-hit; do
      [ -s "$WORK/$name-profile.txt" ] || continue
      echo
      echo "## Profile: $name (a separate run under JFR, not one of the measured runs)"
      echo
      echo '```'
      tr -s ' ' <"$WORK/$name-profile.txt" | sed 's/^ \([0-9]\)/  \1/'
      echo '```'
    done
  fi
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
