#!/usr/bin/env bash
# Issue 18's memory row for an API-only node: its resident memory (RSS) once warm, under load,
# for JVM option sets side by side, with what each costs in submit and status speed. Writes
# bench/results/<YYYY-MM-DD>-memory.md.
#
#   bench/memory.sh
#   TTS_BENCH_MEMORY_OPTS='default;-Xmx128m -XX:+UseSerialGC' bench/memory.sh
#
# Needs: wrk, curl, psql, redis-cli; PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis
# on 127.0.0.1:TTS_BENCH_REDIS_PORT; a JDK 21+ (JAVA_HOME). Installs nothing.
#
# What it does: builds the jar if there is none or the sources are newer; recreates the database
# TTS_BENCH_DATABASE and empties Redis db TTS_BENCH_REDIS_DB; starts one all-roles node (schema,
# engine catalog, admin key), makes a bench user with raised limits, and stops it. Then, for each
# option set (";"-separated; JVM options, and environment variables as NAME=value; "default" is
# none), TTS_BENCH_ROUNDS rounds in turn (a, b, a, b …, so the machine's drift falls on every set
# alike): an API-only node (`java <options> -jar`, --roles=api) is warmed with TTS_BENCH_WARMUP s of wrk submits (new texts, queued: bench/run.sh's
# submit row) and status polls, then measured: TTS_BENCH_DURATION s of submits, TTS_BENCH_DURATION
# s of status polls of those requests, with its VmRSS sampled every 0.5 s throughout and VmHWM
# (peak) read at the end. JVM CPU per request from /proc/<pid>/stat.
#
# Environment (defaults in brackets):
#   TTS_BENCH_MEMORY_OPTS [default;-Xmx128m -XX:+UseSerialGC]   option sets, ";"-separated
#   TTS_BENCH_ROUNDS [2]          TTS_BENCH_WARMUP [45]   TTS_BENCH_DURATION [10]
#   TTS_BENCH_CONNECTIONS [32]    wrk connections (1 thread)
#   TTS_BENCH_PORT [18095]        TTS_BENCH_DATABASE [tts_bench_memory]
#   TTS_BENCH_REDIS_PORT [6379]   TTS_BENCH_REDIS_DB [0]
#   TTS_BENCH_JAR []              a jar to measure instead of this checkout's (nothing is built)
#   TTS_BENCH_OUT [bench/results/<date>-memory.md]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-user.sh

IFS=';' read -r -a OPTION_SETS <<<"${TTS_BENCH_MEMORY_OPTS:-default;-Xmx128m -XX:+UseSerialGC}"
ROUNDS=${TTS_BENCH_ROUNDS:-2}
WARMUP=${TTS_BENCH_WARMUP:-45}
DURATION=${TTS_BENCH_DURATION:-10}
CONNECTIONS=${TTS_BENCH_CONNECTIONS:-32}
PORT=${TTS_BENCH_PORT:-18095}
DATABASE=${TTS_BENCH_DATABASE:-tts_bench_memory}
REDIS_PORT=${TTS_BENCH_REDIS_PORT:-6379}
REDIS_DB=${TTS_BENCH_REDIS_DB:-0}
OUT=${TTS_BENCH_OUT:-bench/results/$(date -u +%F)-memory.md}
BASE=http://127.0.0.1:$PORT

BENCH_NAME=memory
. bench/jar-node.sh

SAMPLER_PID=
stop_node() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=
  stop_service
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "work dir $WORK; load average $LOAD_BEFORE on $(nproc) cores"
fresh_stores
kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }

# launch OPTIONS ROLES NAME: starts the service and waits for /health/ready.
launch() {
  local options=$1 roles=$2 name=$3
  local -a env_words=() jvm_words=()
  [ "$options" = default ] && options=
  # Words like MALLOC_ARENA_MAX=2 go to the environment, the rest to the JVM.
  for word in $options; do
    if [[ $word =~ ^[A-Z_][A-Z0-9_]*= ]]; then env_words+=("$word"); else jvm_words+=("$word"); fi
  done
  env "${env_words[@]}" "$JAVA" "${jvm_words[@]}" -jar "$JAR" --roles="$roles" "${SERVICE_ARGS[@]}" \
    >"$WORK/$name.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 1800); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" = 200 ] && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -n 30 "$WORK/$name.log" >&2; die "$name exited"; }
    sleep 0.1
  done
  die "$name not ready in 3 minutes (log: $WORK/$name.log)"
}

log "publisher node (all roles): schema, engine catalog, admin key"
launch default api,worker,maintenance publisher
ADMIN_KEY=$(grep -oP 'Admin API key: \K\S+' "$WORK/publisher.log" | head -n1)
[ -n "$ADMIN_KEY" ] || die "no admin key in the log"
read -r USER_ID KEY < <(bench_user "$BASE" "$ADMIN_KEY" "memory-$(date +%s)")
export TTS_BENCH_KEY=$KEY
stop_service

# The ids the status polls read: requests of the bench user, made by the warm-up's submits.
ids_file() {
  "${PSQL[@]}" -d "$DATABASE" -c "SELECT id FROM requests WHERE user_id = '$USER_ID' ORDER BY id DESC LIMIT 2000" >"$WORK/ids"
  echo "$WORK/ids"
}

declare -a ROWS
declare -A NMT=()
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!OPTION_SETS[@]}"; do
    options=${OPTION_SETS[$i]}
    name="api-$i-$round"
    log "round $round, options [$options]"
    launch "$options" api "$name"
    : >"$WORK/$name.rss"
    (while :; do kib "$SERVICE_PID" VmRSS >>"$WORK/$name.rss" 2>/dev/null || exit 0; sleep 0.5; done) &
    SAMPLER_PID=$!
    wrk_run "$name-warm-submit" submit.lua $((WARMUP * 2 / 3)) >/dev/null
    TTS_BENCH_IDS=$(ids_file) wrk_run "$name-warm-status" status.lua $((WARMUP / 3)) >/dev/null
    submit=$(wrk_run "$name-submit" submit.lua "$DURATION")
    status=$(TTS_BENCH_IDS=$(ids_file) wrk_run "$name-status" status.lua "$DURATION")
    rss_end=$(kib "$SERVICE_PID" VmRSS)
    hwm=$(kib "$SERVICE_PID" VmHWM)
    anon=$(kib "$SERVICE_PID" RssAnon)
    rss_max=$(sort -n "$WORK/$name.rss" | tail -n1)
    heap=$(curl -s "$BASE/metrics" -H "Authorization: Bearer $ADMIN_KEY" |
      awk '/^jvm_memory_committed_bytes\{.*area="heap"/ { sum += $NF } END { if (sum) printf "%.0f", sum }' || true)
    ROWS+=("$i|$round|$(field "$submit" rps)|$(field "$submit" p99_ms)|$(field "$submit" jvm_cpu_ms_per_req)|$(field "$status" rps)|$(field "$status" p99_ms)|$(field "$status" jvm_cpu_ms_per_req)|$((rss_end / 1024))|$((rss_max / 1024))|$((hwm / 1024))|$((anon / 1024))|${heap:-}")
    if [[ " $options " == *"-XX:NativeMemoryTracking="* ]]; then
      "$JAVA_HOME/bin/jcmd" "$SERVICE_PID" VM.native_memory summary scale=KB >"$WORK/$name.nmt" 2>&1 || true
      NMT[$i]=$WORK/$name.nmt
    fi
    log "  RSS now $((rss_end / 1024)) MiB, sampled max $((rss_max / 1024)), VmHWM $((hwm / 1024)), anonymous $((anon / 1024)); heap committed ${heap:-?} B"
    stop_node
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$(dirname "$OUT")"
{
  echo "# API-only node memory: $(date -u +%F)"
  echo
  echo "\`bench/memory.sh\` at commit \`$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes')\`,"
  echo "$(date -u +'%F %T') UTC. Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)),"
  echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average $LOAD_BEFORE before, $LOAD_AFTER after (1, 5, 15 min)."
  echo "$("$JAVA" -version 2>&1 | head -n1). Jar $(basename "$JAR"); \`java <options> -jar … --roles=api\`."
  echo
  echo "Each row one API-only node: ${WARMUP} s of warm-up (submits, then status polls), then ${DURATION} s of"
  echo "submits (a new text each, queued) and ${DURATION} s of status polls, $CONNECTIONS wrk connections. RSS:"
  echo "VmRSS at the end / the largest sampled every 0.5 s / VmHWM (the kernel's peak); anonymous = RssAnon"
  echo "at the end (heap, metaspace, code, stacks, malloc: what the node itself holds; the rest is mapped"
  echo "files). CPU: the JVM's own (user + system) per request. Rounds alternate the option sets."
  echo
  echo "| options | round | submit req/s | submit p99 ms | CPU ms/submit | status req/s | status p99 ms | CPU ms/status | RSS end / max / peak MiB | anonymous MiB | heap committed MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for row in "${ROWS[@]}"; do
    IFS='|' read -r i round srps sp99 scpu trps tp99 tcpu rss rmax hwm anon heap <<<"$row"
    heap_mib=$([ -n "$heap" ] && calc "$heap / 1048576" 0 || echo "?")
    echo "| \`${OPTION_SETS[$i]}\` | $round | $srps | $sp99 | $scpu | $trps | $tp99 | $tcpu | **$rss** / $rmax / $hwm | $anon | $heap_mib |"
  done
  if [ "${#NMT[@]}" -gt 0 ]; then
    echo
    echo "## Where the memory is (Native Memory Tracking, last round, committed MiB)"
    echo
    echo "Sets with \`-XX:NativeMemoryTracking=summary\`: \`jcmd <pid> VM.native_memory summary\` after the"
    echo "status polls. NMT sees the JVM's own memory; malloc by native libraries (none on an API node)"
    echo "and glibc's arena slack are not in it, so its total is below the anonymous RSS."
    echo
    echo "| options | total | Java heap | metaspace | class space | code | symbols | shared classes | thread stacks | GC | rest |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    for i in "${!NMT[@]}"; do
      awk -v opts="${OPTION_SETS[$i]}" '
        function mib(kb) { return sprintf("%.0f", kb / 1024) }
        /^Total: / { match($0, /committed=[0-9]+/); total = substr($0, RSTART + 10, RLENGTH - 10) }
        /^-  *[A-Za-z]/ {
          name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name)
          match($0, /committed=[0-9]+/); c[name] = substr($0, RSTART + 10, RLENGTH - 10)
        }
        END {
          split("Java Heap,Metaspace,Class,Code,Symbol,Shared class space,Thread,GC", named, ",")
          line = "| `" opts "` | " mib(total)
          rest = total
          for (k = 1; k <= 8; k++) { line = line " | " mib(c[named[k]]); rest -= c[named[k]] }
          print line " | " mib(rest) " |"
        }' "${NMT[$i]}"
    done
  fi
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
