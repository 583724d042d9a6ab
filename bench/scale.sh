#!/usr/bin/env bash
# Cost as the work grows (issue 18): submit and status p50/p99 and worker throughput with 10^4,
# 10^5, 10^6 requests already in the table and 10^3, 10^4, 10^5 jobs waiting in the queue; the
# memory of the API node and of a worker while the backlog grows; the time to drain short jobs
# with 1, 2 and 4 worker processes. Writes bench/results/<YYYY-MM-DD>-scale.md and the plot
# bench/results/<YYYY-MM-DD>-scale.png (drawn by bench/ScalePlot.java, plain Java2D).
#
#   bench/scale.sh
#   TTS_SCALE_TABLE_SIZES="10000" TTS_SCALE_BACKLOGS="100 1000" TTS_SCALE_DRAIN_JOBS=200 bench/scale.sh
#
# Needs what bench/run.sh needs (wrk, curl, psql, redis-cli, PostgreSQL on 127.0.0.1:5432, Redis
# on 127.0.0.1:6379, a JDK 21+) and espeak-ng for short jobs (MaryTTS otherwise). Installs nothing.
#
# Rows are seeded in PostgreSQL with one INSERT … SELECT FROM generate_series each (UUIDv7 ids
# made in SQL, copies of one request submitted through the API, so every column is what the
# service writes), and waiting jobs into Redis with redis-cli --pipe (the service's own admission
# script, EVALSHA of queue-entry.lua + queue-admit.lua, at most the cap per user): never through
# the API.
#
# Settings (defaults in brackets):
#   TTS_SCALE_TABLE_SIZES ["10000 100000 1000000"]  requests in the table, ascending
#   TTS_SCALE_BACKLOGS ["1000 10000 100000"]        jobs waiting, ascending
#   TTS_SCALE_DURATION [5]        seconds of each wrk measurement (submit, status)
#   TTS_SCALE_CONNECTIONS [8]     wrk connections
#   TTS_SCALE_WORKER_SECONDS [5]  seconds a worker process runs at each point (throughput)
#   TTS_SCALE_WARMUP [20]         seconds of unmeasured submits, of status polls and of the worker
#                                 before the first point, so its numbers are not the JVMs' cold
#                                 seconds; the warm-up's own rows are deleted after (0: no warm-up)
#   TTS_SCALE_DRAIN_JOBS [10000]  short jobs drained by 1, 2, 4 worker processes
#   TTS_SCALE_DRAIN_WORKERS ["1 2 4"]  set to "" for no drain
#   TTS_SCALE_ROLES [api]         roles of the measured node (api,maintenance adds the sweeper)
#   TTS_SCALE_NMT [0]             1: every node runs with -XX:NativeMemoryTracking=summary, and the
#                                 worker's and the measured node's NMT summary, heap and glibc
#                                 arenas are written to the work dir after each point
#                                 (nmt-<node>-<rows>-<waiting>.txt)
#   TTS_SCALE_PORT [18180], TTS_SCALE_DATABASE [tts_scale], TTS_SCALE_REDIS_PORT [6379],
#   TTS_SCALE_REDIS_DB [0]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-user.sh
ROOT=$(pwd)

TABLE_SIZES=${TTS_SCALE_TABLE_SIZES:-"10000 100000 1000000"}
BACKLOGS=${TTS_SCALE_BACKLOGS:-"1000 10000 100000"}
DURATION=${TTS_SCALE_DURATION:-5}
CONNECTIONS=${TTS_SCALE_CONNECTIONS:-8}
WORKER_SECONDS=${TTS_SCALE_WORKER_SECONDS:-5}
WARMUP=${TTS_SCALE_WARMUP:-20}
DRAIN_JOBS=${TTS_SCALE_DRAIN_JOBS:-10000}
DRAIN_WORKERS=${TTS_SCALE_DRAIN_WORKERS-"1 2 4"} # set and empty: no drain
ROLES=${TTS_SCALE_ROLES:-api}
NMT=${TTS_SCALE_NMT:-0}
JVM_OPTS=()
[ "$NMT" = 1 ] && JVM_OPTS+=(-XX:NativeMemoryTracking=summary)
PORT=${TTS_SCALE_PORT:-18180}
DATABASE=${TTS_SCALE_DATABASE:-tts_scale}
REDIS_DB=${TTS_SCALE_REDIS_DB:-0}
REDIS_PORT=${TTS_SCALE_REDIS_PORT:-6379}
BASE=http://127.0.0.1:$PORT
CAP=8 # tts.queue.per-user-max-jobs, the default

BENCH_NAME=scale
. bench/bench-env.sh

WORK=$(mktemp -d /tmp/tts-scale.XXXXXX)
declare -a PIDS=()
stop_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  log "logs kept in $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RUN_TAG=$(date +%s)
sql() { "${PSQL[@]}" -d "$DATABASE" -c "$1"; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# what a JVM's resident memory is made of: NMT's summary, the heap, the largest classes on it, and
# the anonymous mappings of 64 MiB and less that glibc's malloc arenas are (count and resident)
memory_report() {
  local pid=$1
  grep -E 'VmRSS|VmHWM|RssAnon|RssFile' "/proc/$pid/status"
  "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary | sed -n '/^Total/,$p' | grep -E 'Total|committed' | head -n 40
  "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info
  "$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram -all | head -n 15 # -all: no full GC first
  awk '/^[0-9a-f]+-[0-9a-f]+ rw-p 00000000 00:00 0/ { inanon = 1; next } /^[0-9a-f]+-/ { inanon = 0 }
    inanon && /^Rss:/ { n++; kb += $2 } END { printf "anonymous rw mappings: %d, resident %.0f MiB\n", n, kb / 1024 }' "/proc/$pid/smaps"
  grep -c memfd "/proc/$pid/maps" | sed 's/^/memfd mappings: /'
}
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }

# start_node NAME PORT ROLES [ARGS...]: starts the jar, waits for /health/ready; its pid in STARTED.
start_node() {
  local name=$1 port=$2 roles=$3; shift 3
  DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DATABASE" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB" PORT=$port TTS_DATA_DIR="$WORK/data" \
    "$JAVA" "${JVM_OPTS[@]}" -jar "$JAR" --roles="$roles" \
    --tts.backpressure.max-queue-depth=100000000 \
    --tts.backpressure.high-priority-max-queue-depth=100000000 \
    --tts.ratelimit.poll-requests-per-minute=2000000000 "$@" \
    >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 3600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ] && { STARTED=$pid; return 0; }
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$WORK/$name.log" >&2; die "$name exited"; }
    sleep 0.05
  done
  die "$name not ready in 3 minutes"
}

wrk_run() {
  local name=$1 script=$2 seconds=${3:-$DURATION}
  wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s -s "bench/wrk/$script" "$BASE" \
    >"$WORK/wrk-$name.txt" 2>&1 || { cat "$WORK/wrk-$name.txt" >&2; die "wrk $name failed"; }
  grep '^WRK_RESULT' "$WORK/wrk-$name.txt" || die "no result from wrk $name"
}

# ------------------------------------------------------------------------------------------------
log "work dir $WORK; load $LOAD_BEFORE; recreating $DATABASE, emptying Redis db $REDIS_DB"
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
"${REDIS[@]}" flushdb >/dev/null

# A node with every role once: migrations, the engine catalog, the admin key, the bench user, and
# one short request synthesized through the API, the template of every seeded row.
start_node publisher "$PORT" api,worker,maintenance; PUB=$STARTED
ADMIN_KEY=$(grep -oP 'Admin API key: \K\S+' "$WORK/publisher.log" | head -n1)
read -r USER_ID KEY < <(bench_user "$BASE" "$ADMIN_KEY" "scale-$RUN_TAG")
read -r WARM_USER_ID WARM_KEY < <(bench_user "$BASE" "$ADMIN_KEY" "scale-warm-$RUN_TAG")
export TTS_BENCH_KEY=$KEY
VOICES=$(curl -sf "$BASE/tts/voices" -H "Authorization: Bearer $KEY" || true)
VOICE=$(grep -oP '"id":"\Kespeak:en-us(?=")' <<<"$VOICES" | head -n1 || true)
[ -n "$VOICE" ] || VOICE=$(grep -oP '"id":"\Kespeak:[^"]+' <<<"$VOICES" | head -n1 || true)
VOICE=${VOICE:-mary:cmu-slt-hsmm}
export TTS_BENCH_VOICE=$VOICE
TEMPLATE=$(curl -sf "$BASE/tts/request" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d "{\"text\":\"Scale template $RUN_TAG.\",\"voice_settings\":{\"voice\":\"$VOICE\"},\"format\":\"wav\"}" |
  grep -oP '"request_id":"\K[^"]+')
for _ in $(seq 1 600); do
  [ "$(sql "SELECT status FROM requests WHERE id = '$TEMPLATE'")" = completed ] && break; sleep 0.1
done
log "bench user $USER_ID, voice $VOICE, template request $TEMPLATE"
stop_pid "$PUB"

# UUIDv7 from a millisecond: the service reads created_at back from the id, so they must agree.
V7="CREATE FUNCTION pg_temp.v7(ms bigint) RETURNS uuid LANGUAGE sql AS \$\$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send(ms) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid \$\$;"
COLS="user_id, status, priority, text, text_length, language, voice_requested, voice, engine, speed,
  pitch, format, sample_rate, content_key, cache_hit, attempt, progress, audio_bytes,
  audio_duration_ms, started_at, completed_at, updated_at"

# seed_completed N: N more completed requests (and their events) of the bench user, created over
# the last hours of this month's partition.
seed_completed() {
  local n=$1
  [ "$n" -gt 0 ] || return 0
  sql "$V7
    WITH t AS (SELECT * FROM requests WHERE id = '$TEMPLATE'),
    made AS (
      INSERT INTO requests (id, created_at, $COLS)
      SELECT pg_temp.v7(ms), 'epoch'::timestamptz + ms * interval '1 millisecond', t.user_id,
        'completed', t.priority, 'Seeded request ' || g || '.', length('Seeded request ' || g || '.'),
        t.language, t.voice_requested, t.voice, t.engine, t.speed, t.pitch, t.format, t.sample_rate,
        md5(g || ':' || random()) || md5(random()::text), false, 1, 1, t.audio_bytes,
        t.audio_duration_ms, now(), now(), now()
      FROM t, generate_series(1, $n) g,
        LATERAL (SELECT (extract(epoch FROM now()) * 1000)::bigint
          - (random() * least(extract(epoch FROM now() - date_trunc('month', now())) * 1000 - 1000,
                              6 * 3600 * 1000))::bigint + 0 * g AS ms) r
      RETURNING id, created_at)
    INSERT INTO logs (request_id, timestamp, event, attempt) SELECT id, created_at, 'completed', 1 FROM made" >/dev/null
}

# seed_waiting N: N more queued requests of new users (at most the cap each, so all are in the
# stream, none held), their rows in PostgreSQL and their entries and places in Redis.
seed_waiting() {
  local n=$1
  [ "$n" -gt 0 ] || return 0
  local users=$(( (n + CAP - 1) / CAP ))
  sql "$V7
    CREATE TEMP TABLE new_users AS
      SELECT row_number() OVER () AS i, gen_random_uuid() AS id
      FROM generate_series(1, $users);
    INSERT INTO users (id, name, role) SELECT id, 'scale-' || id, 'user' FROM new_users;
    WITH t AS (SELECT * FROM requests WHERE id = '$TEMPLATE'),
    made AS (
      INSERT INTO requests (id, created_at, $COLS)
      SELECT pg_temp.v7(ms), 'epoch'::timestamptz + ms * interval '1 millisecond', u.id,
        'queued', 'normal', 'Waiting job ' || g || ' of $RUN_TAG.', length('Waiting job ' || g || ' of $RUN_TAG.'),
        t.language, t.voice_requested, t.voice, t.engine, t.speed, t.pitch, t.format, t.sample_rate,
        md5(g || ':' || random()) || md5(random()::text), false, 0, 0, NULL, NULL, NULL, NULL, now()
      FROM t, generate_series(0, $n - 1) g
        JOIN new_users u ON u.i = g / $CAP + 1,
        LATERAL (SELECT (extract(epoch FROM now()) * 1000)::bigint - $n + g AS ms) r
      RETURNING id, created_at, user_id)
    SELECT id || ' ' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') || ' ' || user_id
    FROM made ORDER BY created_at" >"$WORK/waiting.txt"
  # RESP for redis-cli --pipe: the service's own admission script (queue-entry.lua + queue-admit.lua,
  # as RedisScript.QUEUE_ADMIT runs it) once per job, pipelined, so entries, places and the entries'
  # numbers are exactly what the service writes.
  awk -v sha="$ADMIT_SHA" -v cap="$CAP" 'function cmd(n, a,   i, s) { s = "*" n "\r\n"; for (i = 1; i <= n; i++) s = s "$" length(a[i]) "\r\n" a[i] "\r\n"; printf "%s", s }
    NF == 3 {
      a[1] = "EVALSHA"; a[2] = sha; a[3] = "8"; a[4] = "{tts}:q:admitted"; a[5] = "{tts}:q:admitted-count"
      a[6] = "{tts}:q:holders"; a[7] = "{tts}:q:held-count"; a[8] = "{tts}:q:normal"
      a[9] = "{tts}:q:held:" $3 ":normal"; a[10] = "{tts}:q:entries:" $3; a[11] = "{tts}:q:held-at:" $3
      a[12] = cap; a[13] = $1; a[14] = $3; a[15] = $2; a[16] = "normal"; cmd(16, a)
    }' "$WORK/waiting.txt" | "${REDIS[@]}" --pipe >"$WORK/pipe.txt"
  grep -q 'errors: 0' "$WORK/pipe.txt" || { cat "$WORK/pipe.txt" >&2; die "seeding the stream failed"; }
}

ADMIT_SHA=$(cat src/main/resources/redis/queue-entry.lua src/main/resources/redis/queue-admit.lua |
  "${REDIS[@]}" -x SCRIPT LOAD)

# empty_queue: no job waiting or running any more: their rows cancelled, the stream, the places
# and the entries' keys deleted, the workers' group made again on the empty stream.
empty_queue() {
  sql "UPDATE requests SET status = 'cancelled', completed_at = now(), updated_at = now() WHERE status IN ('queued', 'processing')" >/dev/null
  "${REDIS[@]}" DEL '{tts}:q:normal' '{tts}:q:admitted' '{tts}:q:admitted-count' >/dev/null
  "${REDIS[@]}" --scan --pattern '{tts}:q:entries:*' | xargs -r -n 500 "${REDIS[@]}" DEL >/dev/null
  "${REDIS[@]}" XGROUP CREATE '{tts}:q:normal' workers '$' MKSTREAM >/dev/null
}

# jobs waiting in the stream (the bench user's own submits beyond the cap are held, not counted)
waiting_now() { "${REDIS[@]}" XLEN '{tts}:q:normal'; }
rows_now() { sql "SELECT count(*) FROM requests"; }

# ------------------------------------------------------------------------------------------------
# One worker process for the throughput points, stopped (SIGSTOP) between them so the backlog
# stays as seeded while submit and status are measured; its slots are free whenever it runs.
start_node worker $((PORT + 1)) worker; WORKER=$STARTED
kill -STOP "$WORKER"
start_node measured "$PORT" "$ROLES"; NODE=$STARTED
log "measured node ($ROLES) pid $NODE, worker pid $WORKER (stopped)"
# no job of the template's user may be left running when the points start
sql "UPDATE requests SET status = 'cancelled', completed_at = now(), updated_at = now() WHERE status IN ('queued', 'processing')" >/dev/null

# Warm-up: the first point would otherwise measure the JIT compiling the hot paths (the lines of
# earlier runs fell from the first point on, as the nodes warmed). The warm-up user's submits are
# deleted afterwards, so the table holds only the points' rows; the worker warms on the first
# backlog's jobs, which the first point then tops up again.
if [ "$WARMUP" -gt 0 ]; then
  log "warming up the nodes for 3 × $WARMUP s (not measured)"
  seed_waiting "${BACKLOGS%% *}"
  TTS_BENCH_KEY=$WARM_KEY TTS_BENCH_RUN="$RUN_TAG-warm" wrk_run warm-submit submit.lua "$WARMUP" >/dev/null
  sql "SELECT id FROM requests ORDER BY random() LIMIT 10000" >"$WORK/ids.txt"
  TTS_BENCH_IDS="$WORK/ids.txt" wrk_run warm-status status.lua "$WARMUP" >/dev/null
  kill -CONT "$WORKER"; sleep "$WARMUP"; kill -STOP "$WORKER"
  sql "DELETE FROM logs WHERE request_id IN (SELECT id FROM requests WHERE user_id = '$WARM_USER_ID');
    DELETE FROM requests WHERE user_id = '$WARM_USER_ID'" >/dev/null
fi

printf 'rows\trows_actual\twaiting\tsubmit_rps\tsubmit_p50_ms\tsubmit_p99_ms\tstatus_rps\tstatus_p50_ms\tstatus_p99_ms\tworker_jobs_per_s\tapi_rss_mib\tworker_rss_mib\tstream_len\tbench_user_held\n' >"$WORK/scale.tsv"
for rows in $TABLE_SIZES; do
  # each table size starts from an empty queue, so its small backlogs are small (the waiting jobs
  # of the size before would otherwise still be there)
  [ "$rows" = "${TABLE_SIZES%% *}" ] || empty_queue
  have=$(rows_now)
  log "table: $have rows, seeding $((rows - have)) more"
  seed_completed $((rows - have))
  sql "ANALYZE requests" >/dev/null
  for waiting in $BACKLOGS; do
    have=$(waiting_now)
    log "point rows=$rows waiting=$waiting: seeding $((waiting - have)) waiting jobs"
    seed_waiting $((waiting - have))
    S=$(TTS_BENCH_RUN="$RUN_TAG-$rows-$waiting" wrk_run "submit-$rows-$waiting" submit.lua)
    sql "SELECT id FROM requests ORDER BY random() LIMIT 10000" >"$WORK/ids.txt"
    S2=$(TTS_BENCH_IDS="$WORK/ids.txt" wrk_run "status-$rows-$waiting" status.lua)
    api_rss=$(rss_mb "$NODE")
    # the worker's throughput on this backlog
    # counted from a second after it resumes: its timers, reads and connections catch up first
    kill -CONT "$WORKER"; sleep 1
    done0=$(sql "SELECT count(*) FROM requests WHERE status = 'completed'")
    sleep "$WORKER_SECONDS"
    done1=$(sql "SELECT count(*) FROM requests WHERE status = 'completed'")
    [ "$NMT" = 1 ] && for node in worker:$WORKER measured:$NODE; do
      memory_report "${node#*:}" >"$WORK/nmt-${node%%:*}-$rows-$waiting.txt" 2>&1 || true
    done
    kill -STOP "$WORKER"
    jobs_s=$(calc "($done1 - $done0) / $WORKER_SECONDS" 1)
    worker_rss=$(rss_mb "$WORKER")
    stream=$("${REDIS[@]}" XLEN '{tts}:q:normal')
    held=$("${REDIS[@]}" LLEN "{tts}:q:held:$USER_ID:normal")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rows" "$(rows_now)" "$waiting" \
      "$(field "$S" rps)" "$(field "$S" p50_ms)" "$(field "$S" p99_ms)" \
      "$(field "$S2" rps)" "$(field "$S2" p50_ms)" "$(field "$S2" p99_ms)" \
      "$jobs_s" "$api_rss" "$worker_rss" "$stream" "$held" | tee -a "$WORK/scale.tsv" >&2
  done
done
stop_pid "$WORKER"

# ------------------------------------------------------------------------------------------------
# Drain: the same short jobs, waiting all at once, run by 1, 2, 4 worker processes (each with the
# default slots and synthesis threads, one per core). The workers are ready before the jobs go
# into the stream; the time runs from the last entry written to the last job completed.
printf 'workers\tjobs\tseconds\tjobs_per_s\tworker_cpu_s\tcpu_ms_per_job\n' >"$WORK/drain.tsv"
for k in $DRAIN_WORKERS; do
  empty_queue
  declare -a DRAINERS=()
  for i in $(seq 1 "$k"); do start_node "drain-$k-$i" $((PORT + 10 + i)) worker; DRAINERS+=("$STARTED"); done
  cpu0=0; for pid in "${DRAINERS[@]}"; do cpu0=$(calc "$cpu0 + $(cpu_s "$pid")"); done
  seed_waiting "$DRAIN_JOBS"
  t0=$(date +%s.%N)
  while [ "$(sql "SELECT count(*) FROM requests WHERE status = 'queued' OR status = 'processing'")" != 0 ]; do sleep 0.2; done
  t1=$(date +%s.%N)
  cpu1=0; for pid in "${DRAINERS[@]}"; do cpu1=$(calc "$cpu1 + $(cpu_s "$pid")"); done
  secs=$(calc "$t1 - $t0" 2)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$DRAIN_JOBS" "$secs" "$(calc "$DRAIN_JOBS / $secs" 1)" \
    "$(calc "$cpu1 - $cpu0")" "$(calc "($cpu1 - $cpu0) * 1000 / $DRAIN_JOBS" 1)" | tee -a "$WORK/drain.tsv" >&2
  for pid in "${DRAINERS[@]}"; do stop_pid "$pid"; done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------------------
DAY=$(date -u +%F)
OUT=bench/results/$DAY-scale.md
PNG=bench/results/$DAY-scale.png
mkdir -p bench/results
"$JAVA" bench/ScalePlot.java "$WORK/scale.tsv" "$WORK/drain.tsv" "$PNG" || log "WARNING: no plot"
table() { awk -F'\t' 'NR == 1 { h = "|"; s = "|"; for (i = 1; i <= NF; i++) { h = h " " $i " |"; s = s "---|" } print h; print s; next }
  { l = "|"; for (i = 1; i <= NF; i++) l = l " " $i " |"; print l }' "$1"; }
{
  echo "# Cost as the work grows, $DAY"
  echo
  echo "\`bench/scale.sh\` at commit \`$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes')\`,"
  echo "$(date -u +'%F %T') UTC. Machine: $(nproc) cores, shared: load average $LOAD_BEFORE before, $LOAD_AFTER after."
  echo "Settings: table sizes $TABLE_SIZES; backlogs $BACKLOGS; wrk ${DURATION} s × $CONNECTIONS connections per"
  echo "measurement; worker window ${WORKER_SECONDS} s; warm-up 3 × ${WARMUP} s before the first point;"
  echo "$([ -n "$DRAIN_WORKERS" ] && echo "drain of $DRAIN_JOBS jobs by $DRAIN_WORKERS worker processes" || echo "no drain"); measured node \`--roles=$ROLES\`; jobs"
  echo "spoken by \`$VOICE\`."
  echo
  echo "![scale]($DAY-scale.png)"
  echo
  echo "## Submit, status and a worker, by requests in the table and jobs waiting"
  echo
  table "$WORK/scale.tsv"
  echo
  echo "## Draining $DRAIN_JOBS short jobs"
  echo
  table "$WORK/drain.tsv"
  echo
  echo "## Method"
  echo
  echo "- Rows: completed requests of the bench user (the worst case for its per-user indexes), copies of one"
  echo "  request submitted through the API, inserted by one \`INSERT … SELECT … generate_series\` (UUIDv7 ids made"
  echo "  in SQL) with one event each, then \`ANALYZE\`."
  echo "- Waiting jobs: queued rows of new users, $CAP each (the per-user cap: all in the stream, none held), put in"
  echo "  Redis by the service's own admission script (\`queue-entry.lua\` + \`queue-admit.lua\`, \`EVALSHA\` pipelined"
  echo "  with \`redis-cli --pipe\`), so entries, places and the entries' numbers are what the service writes."
  echo "- Submit: wrk, new texts of the bench user, whose jobs beyond the cap go to its held list (the column"
  echo "  \`bench_user_held\` is that list's length after the point). Status: 10,000 random ids of the table."
  echo "- Worker: one \`--roles=worker\` process, stopped (SIGSTOP) except for its window at each point; jobs completed"
  echo "  in the window ÷ its length. RSS: VmRSS of the measured node and of the worker after each point."
  echo "- Drain: k worker processes started and ready first, then the jobs written to the stream at once; the time"
  echo "  runs until PostgreSQL has none queued or processing. CPU: the worker processes' user + system time."
} >"$OUT"
log "wrote $OUT and $PNG"
cat "$OUT"
