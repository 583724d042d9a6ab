# Sourced by the benchmarks that start nodes of the built jar against the local PostgreSQL and
# Redis (bench/startup.sh, bench/memory.sh). The script sets first:
#   BENCH_NAME (the log prefix), DATABASE, REDIS_PORT, REDIS_DB, PORT, BASE, CONNECTIONS.
# This gives it what bench/bench-env.sh gives (log, die, calc, field, JAVA, PSQL, REDIS, JAR), and:
#   WORK (a temp dir, kept for its logs)
#   SERVICE_PID and stop_service (TERM, then KILL after 60 s; also on exit)
#   fresh_stores: recreates DATABASE, empties Redis db REDIS_DB, exports DATABASE_URL, REDIS_URL,
#     PORT and TTS_DATA_DIR; SERVICE_ARGS (the limits bench/run.sh lifts)
#   process_cpu_ticks PID, CLOCK_TICKS
#   wrk_run NAME SCRIPT SECONDS: wrk with bench/wrk/SCRIPT against SERVICE_PID's node; prints its
#     WRK_RESULT line with jvm_cpu_ms_per_req (the node's CPU per request) added

. bench/bench-env.sh

WORK=$(mktemp -d "/tmp/tts-$BENCH_NAME.XXXXXX")
SERVICE_PID=
stop_service() {
  local pid=$SERVICE_PID
  SERVICE_PID=
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
trap 'stop_service; log "logs kept in $WORK"' EXIT
trap 'exit 130' INT TERM

# As bench/run.sh: limits that would otherwise measure the backpressure machinery.
SERVICE_ARGS=(--tts.backpressure.max-queue-depth=100000000
  --tts.backpressure.high-priority-max-queue-depth=100000000)

fresh_stores() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
  "${REDIS[@]}" flushdb >/dev/null
  export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DATABASE"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
  export PORT TTS_DATA_DIR=$WORK/data
}

CLOCK_TICKS=$(getconf CLK_TCK)
process_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

wrk_run() {
  local cpu_before result
  cpu_before=$(process_cpu_ticks "$SERVICE_PID")
  TTS_BENCH_RUN="$1-$(date +%s%N)" wrk -t1 -c"$CONNECTIONS" -d"$3s" --timeout 10s -s "bench/wrk/$2" "$BASE" \
    >"$WORK/wrk-$1.txt" 2>&1 || { cat "$WORK/wrk-$1.txt" >&2; die "wrk $1 failed"; }
  result=$(grep '^WRK_RESULT' "$WORK/wrk-$1.txt") || die "no result from wrk $1"
  result="$result jvm_cpu_ms_per_req=$(calc "($(process_cpu_ticks "$SERVICE_PID") - $cpu_before) * 1000 / $CLOCK_TICKS / $(field "$result" requests)" 3)"
  [ "$(field "$result" non2xx)" = 0 ] || log "WARNING: $1 had non-2xx answers"
  log "  $1: $result"
  echo "$result"
}
