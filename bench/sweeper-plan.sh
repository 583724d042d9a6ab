#!/usr/bin/env bash
# The sweeper's stale scan (RequestRepository.stale) on a big table: its plan and cost with and
# without idx_requests_unfinished_updated (V120), read by EXPLAIN (ANALYZE, BUFFERS). The schema is
# the service's own migrations applied in order with psql; the rows are made in SQL.
#
#   bench/sweeper-plan.sh                       # 10^6 rows, 10^5 of them queued and none stale
#   TTS_PLAN_ROWS=100000 TTS_PLAN_QUEUED=10000 TTS_PLAN_DATABASE=tts_plan bench/sweeper-plan.sh
#   TTS_PLAN_KEEP=1 keeps the database
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${TTS_PLAN_ROWS:-1000000}
QUEUED=${TTS_PLAN_QUEUED:-100000}
DATABASE=${TTS_PLAN_DATABASE:-tts_plan}
# how old a queued row's last change must be to be stale: the service's sweep-age is 2 minutes; an
# hour here, so that rows updated while seeding (minutes on a loaded machine) are not stale yet
AGE=${TTS_PLAN_AGE:-1 hour}
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qX)

"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
for f in $(ls src/main/resources/db/migration/V*__*.sql | sort -t V -k2 -n); do
  "${PSQL[@]}" -d "$DATABASE" -f "$f" >/dev/null
done
# the rows: created over the last ~6 hours of this month, updated when created; the newest QUEUED
# are queued (the backlog), the rest completed; none of the queued is stale (updated in the last
# minute), as in a deep but healthy queue
"${PSQL[@]}" -d "$DATABASE" <<SQL >/dev/null
SELECT ensure_request_partitions(1);
INSERT INTO requests (id, created_at, user_id, status, priority, text, text_length, language, voice,
  speed, pitch, format, content_key, updated_at)
SELECT gen_random_uuid(), t, gen_random_uuid(),
  CASE WHEN g > $ROWS - $QUEUED THEN 'queued' ELSE 'completed' END, 'normal', 'x', 1, 'en', 'espeak:en',
  1, 1, 'wav', md5(g::text),
  CASE WHEN g > $ROWS - $QUEUED THEN now() - interval '10 seconds' ELSE t END
FROM generate_series(1, $ROWS) g,
  LATERAL (SELECT greatest(date_trunc('month', now()) + interval '1 second',
                           now() - interval '6 hours' + g * interval '6 hours' / $ROWS) AS t) c;
ANALYZE requests;
SQL
QUERY="SELECT id FROM requests WHERE status = 'queued' AND updated_at < now() - interval '$AGE'
  AND user_id <> ALL (CAST('{}' AS uuid[])) ORDER BY ORDER_BY LIMIT 500"
echo "rows: $ROWS, queued: $QUEUED, stale (older than $AGE): $("${PSQL[@]}" -tA -d "$DATABASE" -c "SELECT count(*) FROM requests WHERE status = 'queued' AND updated_at < now() - interval '$AGE'")"
explain() { "${PSQL[@]}" -d "$DATABASE" -c "BEGIN" "$@" -c "ROLLBACK"; }
echo "== now: ORDER BY updated_at, with idx_requests_unfinished_updated (V120)"
explain -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${QUERY/ORDER_BY/updated_at}"
echo "== the index, but ORDER BY created_at (the planner still walks idx_requests_status_created)"
explain -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${QUERY/ORDER_BY/created_at}"
echo "== before V120: ORDER BY created_at, no such index"
explain -c "DROP INDEX idx_requests_unfinished_updated" \
  -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${QUERY/ORDER_BY/created_at}"
[ "${TTS_PLAN_KEEP:-0}" = 1 ] || "${PSQL[@]}" -d postgres -c "DROP DATABASE $DATABASE WITH (FORCE)"
