#!/usr/bin/env bash
# Two builds of the service side by side in one run: bench/run.sh's HTTP rows (submit, status and
# cache hit, each as a ratio of the trivial endpoint measured around it) for OLD and NEW in turn,
# ROUNDS times, alternating which goes first, so a change of the machine's load falls on both.
# Writes bench/results/<YYYY-MM-DD>-<NAME>.md.
#
#   bench/compare-jars.sh OLD.jar NEW.jar [NAME]
#
#   TTS_BENCH_ROUNDS_EACH [2]  runs of each jar
#   TTS_BENCH_OLD_ARGS []      settings for OLD only, where it names them differently (before
#                              0.1.1 the queue-depth limit was tts.observability.max-queue-depth)
#   TTS_BENCH_NEW_ARGS []      the same for NEW
# Every other TTS_BENCH_* of bench/run.sh applies (durations, connections, port, database).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,14p "$0"; exit 2; }
OLD=$(realpath "$1"); NEW=$(realpath "$2"); NAME=${3:-jars}
ROUNDS_EACH=${TTS_BENCH_ROUNDS_EACH:-2}
SUMMARY=$(mktemp /tmp/tts-compare.XXXXXX)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

run() {
  local label=$1 jar=$2 args=$3
  echo "[compare] $label: $jar" >&2
  TTS_BENCH_JAR=$jar TTS_BENCH_HTTP_ONLY=1 TTS_BENCH_PROFILE=0 TTS_BENCH_SUMMARY=$SUMMARY \
    TTS_BENCH_SERVICE_ARGS=$args bench/run.sh >&2
  sed -i "\$s/^/which=$label /" "$SUMMARY"
}
for round in $(seq 1 "$ROUNDS_EACH"); do
  if [ $((round % 2)) = 1 ]; then
    run old "$OLD" "${TTS_BENCH_OLD_ARGS:-}"; run new "$NEW" "${TTS_BENCH_NEW_ARGS:-}"
  else
    run new "$NEW" "${TTS_BENCH_NEW_ARGS:-}"; run old "$OLD" "${TTS_BENCH_OLD_ARGS:-}"
  fi
done

field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<" $1"; }
mean_of() { # mean_of which key [decimals]
  grep "^which=$1 " "$SUMMARY" | while read -r line; do field "$line" "$2"; done |
    awk -v d="${3:-3}" '{ s += $1; n++ } END { printf "%." d "f", s / n }'
}
DAY=$(date -u +%F)
OUT=bench/results/$DAY-$NAME.md
{
  echo "# $(basename "$OLD") vs $(basename "$NEW"), $DAY"
  echo
  echo "\`bench/compare-jars.sh\`: bench/run.sh's HTTP rows, $ROUNDS_EACH run(s) of each jar, alternating which goes"
  echo "first. $(nproc) cores, load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after. A ratio is"
  echo "the row's req/s over the trivial endpoint's (GET /health) measured just before and after it, on the same node."
  echo
  echo "| row | old: ratio (req/s) | new: ratio (req/s) | new ÷ old | JVM CPU ms per request, old → new |"
  echo "|---|---|---|---|---|"
  for row in submit status hit; do
    o=$(mean_of old "${row}_ratio"); n=$(mean_of new "${row}_ratio")
    echo "| $row | $o ($(mean_of old "${row}_rps" 0)) | $n ($(mean_of new "${row}_rps" 0)) | $(awk "BEGIN { printf \"%.2f\", $n / $o }") | $(mean_of old "${row}_cpu_ms") → $(mean_of new "${row}_cpu_ms") |"
  done
  echo "| submit p99 at half the peak rate, ms | $(mean_of old half_p99_ms 1) | $(mean_of new half_p99_ms 1) | | |"
  echo
  echo "Each run:"
  echo
  echo '```'
  cat "$SUMMARY"
  echo '```'
} >"$OUT"
rm -f "$SUMMARY"
echo "[compare] wrote $OUT" >&2
cat "$OUT"
