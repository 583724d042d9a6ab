#!/usr/bin/env bash
# Issue 18's start-up rows: start to ready (all roles, API-only) and the submit rate of the first
# seconds after ready ÷ the steady rate, for the ways a jar is started: as built (`java -jar` of
# the fat jar), extracted without a cache, and through deploy/jar/run.sh (extracted, with the
# JDK's AOT cache it trains). Writes bench/results/<YYYY-MM-DD>-startup.md.
#
#   bench/startup.sh
#
# Needs: wrk, curl, psql, redis-cli; PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis
# on 127.0.0.1:TTS_BENCH_REDIS_PORT; a JDK 25 (JAVA_HOME; 21-24 gets an AppCDS archive instead of
# the AOT cache). espeak-ng is optional (a worker loads its voices too). Installs nothing.
#
# What it does: builds the jar if there is none or the sources are newer; recreates the database
# TTS_BENCH_DATABASE and empties Redis db TTS_BENCH_REDIS_DB; starts one all-roles node (the
# schema, the engine catalog an API-only node resolves voices from, the admin key) and makes a
# bench user with raised limits through the admin API; trains the cache (deploy/jar/run.sh
# --train, every role). Then starts each way with --roles=api and with every role,
# TTS_BENCH_STARTS times, measuring launch → first 200 of /health/ready (polled every 20 ms) and
# reading Spring's "Started … in" and the warm-up's time from the log. Then, for the fat jar and
# for the cache, an API-only node: wrk submits (a new text each, cache misses, queued: bench/
# run.sh's submit row) for TTS_BENCH_COLD_SECONDS from the moment it is ready, then
# TTS_BENCH_WARMUP s unmeasured, then TTS_BENCH_DURATION s steady; the row is first ÷ steady, both
# from the same node. The JVM's CPU per request of each run (from /proc/<pid>/stat) is kept too.
#
# Environment (defaults in brackets):
#   TTS_BENCH_STARTS [3]          starts of each way and role set
#   TTS_BENCH_COLD_SECONDS [10]   TTS_BENCH_WARMUP [8]   TTS_BENCH_DURATION [10]
#   TTS_BENCH_CONNECTIONS [32]    wrk connections (1 thread)
#   TTS_BENCH_PORT [18090]        TTS_BENCH_DATABASE [tts_bench_startup]
#   TTS_BENCH_REDIS_PORT [6379]   TTS_BENCH_REDIS_DB [0]
#   TTS_BENCH_WAYS [plain extracted cache]   which ways to measure
#   TTS_BENCH_JAR []              a jar to measure instead of this checkout's (nothing is built)
#   TTS_BENCH_OUT [bench/results/<date>-startup.md]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-user.sh

STARTS=${TTS_BENCH_STARTS:-3}
COLD_SECONDS=${TTS_BENCH_COLD_SECONDS:-10}
WARMUP=${TTS_BENCH_WARMUP:-8}
DURATION=${TTS_BENCH_DURATION:-10}
CONNECTIONS=${TTS_BENCH_CONNECTIONS:-32}
PORT=${TTS_BENCH_PORT:-18090}
DATABASE=${TTS_BENCH_DATABASE:-tts_bench_startup}
REDIS_PORT=${TTS_BENCH_REDIS_PORT:-6379}
REDIS_DB=${TTS_BENCH_REDIS_DB:-0}
WAYS=${TTS_BENCH_WAYS:-plain extracted cache}
OUT=${TTS_BENCH_OUT:-bench/results/$(date -u +%F)-startup.md}
BASE=http://127.0.0.1:$PORT

BENCH_NAME=startup
. bench/jar-node.sh
AOT_DIR=$WORK/aot

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "work dir $WORK; load average $LOAD_BEFORE on $(nproc) cores"
fresh_stores

# launch WAY ROLES NAME: starts the service one way; sets SERVICE_PID and LAUNCHED.
launch() {
  local way=$1 roles=$2 name=$3
  LAUNCHED=$(date +%s.%N)
  case $way in
    plain) "$JAVA" -jar "$JAR" --roles="$roles" "${SERVICE_ARGS[@]}" >"$WORK/$name.log" 2>&1 & ;;
    extracted) "$JAVA" -jar "$(ls "$AOT_DIR"/app/*.jar | head -n1)" --roles="$roles" "${SERVICE_ARGS[@]}" \
      >"$WORK/$name.log" 2>&1 & ;;
    cache) TTS_JAR=$JAR TTS_AOT_DIR=$AOT_DIR deploy/jar/run.sh --roles="$roles" "${SERVICE_ARGS[@]}" \
      >"$WORK/$name.log" 2>&1 & ;;
  esac
  SERVICE_PID=$!
}
# await_ready NAME: seconds from launch to the first 200 of /health/ready, and the CPU seconds
# the JVM spent until then (user + system, all its threads: what a busy machine moves least).
await_ready() {
  local name=$1
  for _ in $(seq 1 9000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" = 200 ]; then
      echo "$(calc "$(date +%s.%N) - $LAUNCHED" 2) $(calc "$(process_cpu_ticks "$SERVICE_PID") / $CLOCK_TICKS" 2)"
      return 0
    fi
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -n 30 "$WORK/$name.log" >&2; die "$name exited"; }
    sleep 0.02
  done
  die "$name not ready in 3 minutes (log: $WORK/$name.log)"
}

# ------------------------------------------------------------------------------------------------
log "publisher node (all roles): schema, engine catalog, admin key"
launch plain api,worker,maintenance publisher
await_ready publisher >/dev/null
ADMIN_KEY=$(grep -oP 'Admin API key: \K\S+' "$WORK/publisher.log" | head -n1)
[ -n "$ADMIN_KEY" ] || die "no admin key in the log"
read -r USER_ID KEY < <(bench_user "$BASE" "$ADMIN_KEY" "startup-$(date +%s)")
export TTS_BENCH_KEY=$KEY
stop_service

log "training the cache: deploy/jar/run.sh --train (every role)"
train_started=$(date +%s.%N)
TTS_JAR=$JAR TTS_AOT_DIR=$AOT_DIR deploy/jar/run.sh --train --roles=api,worker,maintenance \
  "${SERVICE_ARGS[@]}" 2>"$WORK/train.err" || { cat "$WORK/train.err" >&2; die "training failed"; }
TRAIN_S=$(calc "$(date +%s.%N) - $train_started" 1)
CACHE_FILE=$(ls "$AOT_DIR"/tts-api.* | head -n1)
CACHE_MB=$(calc "$(stat -c %s "$CACHE_FILE") / 1048576" 0)
log "cache $(basename "$CACHE_FILE"): $CACHE_MB MiB, trained in $TRAIN_S s"

# ------------------------------------------------------------------------------------------------
# Start to ready: each way, each role set, STARTS times; the samples in order, and the median.
declare -A READY CPU SPRING WARM
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for way in $WAYS; do
  for roles in api api,worker,maintenance; do
    key="$way/$roles"
    for i in $(seq 1 "$STARTS"); do
      name="ready-$way-${roles//,/-}-$i"
      launch "$way" "$roles" "$name"
      read -r s cpu < <(await_ready "$name")
      READY[$key]="${READY[$key]:-} $s"
      CPU[$key]="${CPU[$key]:-} $cpu"
      SPRING[$key]="${SPRING[$key]:-} $(grep -oP 'Started \S+ in \K[0-9.]+' "$WORK/$name.log" | head -n1)"
      WARM[$key]="${WARM[$key]:-} $(grep -oP 'Warm-up done in \K[0-9]+' "$WORK/$name.log" | head -n1)"
      log "$key start $i: ready after $s s, $cpu CPU-s"
      stop_service
    done
  done
done

# ------------------------------------------------------------------------------------------------
# The first seconds after ready ÷ steady, on one API-only node per way.
declare -A COLD STEADY
for way in plain cache; do
  [[ " $WAYS " == *" $way "* ]] || continue
  launch "$way" api "first-$way"
  read -r s cpu < <(await_ready "first-$way")
  log "$way API-only node ready after $s s ($cpu CPU-s); submitting at once"
  COLD[$way]=$(wrk_run "cold-$way" submit.lua "$COLD_SECONDS")
  wrk_run "warm-$way" submit.lua "$WARMUP" >/dev/null
  STEADY[$way]=$(wrk_run "steady-$way" submit.lua "$DURATION")
  stop_service
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------------------
ok() { awk "BEGIN { exit !($1) }" && echo yes || echo "**no**"; }
range() { tr ' ' '\n' <<<"$1" | grep . | sort -n | sed -n '1p;$p' | paste -sd '-' | sed 's/-/–/'; }
mkdir -p "$(dirname "$OUT")"
{
  echo "# Start-up: $(date -u +%F)"
  echo
  echo "\`bench/startup.sh\` at commit \`$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml deploy || echo '+changes')\`,"
  echo "$(date -u +'%F %T') UTC. Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)),"
  echo "shared with other work: load average $LOAD_BEFORE before, $LOAD_AFTER after (1, 5, 15 min)."
  echo "$("$JAVA" -version 2>&1 | head -n1). Jar $(basename "$JAR") ($(calc "$(stat -c %s "$JAR") / 1048576" 0) MiB)."
  echo "Cache: $(basename "$CACHE_FILE"), $CACHE_MB MiB, trained in $TRAIN_S s by \`deploy/jar/run.sh --train\`."
  echo
  echo "## Start to ready"
  echo
  echo "Seconds from launching the JVM to the first 200 of \`/health/ready\` (polled every 20 ms), median of"
  echo "$STARTS starts (all samples in brackets); the CPU-seconds the JVM spent until then (user + system, all"
  echo "threads, from /proc/<pid>/stat: the number a busy shared machine moves least; on an idle machine the wall"
  echo "time is near it divided by the cores the JVM kept busy); Spring's own \"Started in\" and the warm-up (ms,"
  echo "after Spring started, before ready) from the same starts' logs."
  echo
  echo "| way | roles | ready (s) | CPU to ready (s) | Spring started (s) | warm-up (ms) |"
  echo "|---|---|---|---|---|---|"
  for way in $WAYS; do
    for roles in api api,worker,maintenance; do
      key="$way/$roles"
      echo "| $way | $roles | **$(median "${READY[$key]}")** ($(echo ${READY[$key]})) | $(median "${CPU[$key]}") ($(echo ${CPU[$key]})) | $(median "${SPRING[$key]}") | $(median "${WARM[$key]}") |"
    done
  done
  echo
  echo "Ways: **plain** \`java -jar $(basename "$JAR")\` (the fat jar as built); **extracted** the same jar"
  echo "extracted by \`java -Djarmode=tools -jar … extract\`, no cache; **cache** \`deploy/jar/run.sh\` (extracted,"
  echo "\`-XX:AOTCache\`, trained once with every role)."
  echo
  echo "## First seconds after ready"
  echo
  echo "| way | first ${COLD_SECONDS} s after ready | steady (after ${WARMUP} s more) | ratio | goal | met | JVM CPU ms/request, first / steady |"
  echo "|---|---|---|---|---|---|---|"
  for way in plain cache; do
    [ -n "${COLD[$way]:-}" ] || continue
    r=$(calc "$(field "${COLD[$way]}" rps) / $(field "${STEADY[$way]}" rps)" 3)
    echo "| $way | $(field "${COLD[$way]}" rps) req/s | $(field "${STEADY[$way]}" rps) req/s | $r | ≥ 0.7 | $(ok "$r >= 0.7") | $(field "${COLD[$way]}" jvm_cpu_ms_per_req) / $(field "${STEADY[$way]}" jvm_cpu_ms_per_req) |"
  done
  echo
  echo "Issue 18's rows (the cache, as deploy/jar/run.sh and the image start the service):"
  echo
  echo "| row | measured | goal | met |"
  echo "|---|---|---|---|"
  if [ -n "${READY[cache/api]:-}" ]; then
    a=$(median "${READY[cache/api,worker,maintenance]}"); p=$(median "${READY[cache/api]}")
    echo "| start to ready: all roles / API-only (CPU-seconds to ready) | $a s / $p s ($(median "${CPU[cache/api,worker,maintenance]}") / $(median "${CPU[cache/api]}") CPU-s) | < 3 s / < 1.5 s | $(ok "$a < 3 && $p < 1.5") |"
  fi
  if [ -n "${COLD[cache]:-}" ]; then
    r=$(calc "$(field "${COLD[cache]}" rps) / $(field "${STEADY[cache]}" rps)" 3)
    c=$(calc "$(field "${STEADY[cache]}" jvm_cpu_ms_per_req) / $(field "${COLD[cache]}" jvm_cpu_ms_per_req)" 3)
    echo "| submit rate in the first ${COLD_SECONDS} s after ready ÷ steady state (and the same for cost: steady CPU per request ÷ first seconds') | $r ($c) | ≥ 0.7 | $(ok "$r >= 0.7") |"
  fi
  echo
  echo "## Raw"
  echo
  echo '```'
  for way in plain cache; do
    [ -n "${COLD[$way]:-}" ] || continue
    echo "cold-$way ${COLD[$way]}"
    echo "steady-$way ${STEADY[$way]}"
  done
  echo '```'
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
