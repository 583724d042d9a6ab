#!/usr/bin/env bash
# One long espeak-ng document through POST /tts/request: the time from submit to completed, and
# the service's peak resident memory (RSS) and peak heap in use while it makes the audio.
#
#   bench/long-text.sh [characters] [format]      (defaults: 100000 wav)
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, trust), redis-server, espeak-ng, curl,
# python3, a JDK 21+ (JAVA_HOME; its jstat samples the heap). The service runs from target/classes
# with every role on empty stores of its own (bench/service.sh: database TTS_BENCH_DATABASE,
# Redis on TTS_BENCH_REDIS_PORT, JVM options TTS_BENCH_JAVA_OPTS, e.g. -Xmx256m); everything it
# started is stopped when it ends. Prints one Markdown table row.
set -euo pipefail
cd "$(dirname "$0")/.."
CHARS=${1:-100000}
FORMAT=${2:-wav}
PORT=${TTS_BENCH_PORT:-18190}
JSTAT=${JAVA_HOME:+$JAVA_HOME/bin/}jstat
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
. bench/service.sh
trap 'stop_service; rm -rf "$WORK"' EXIT
start_service "$PORT"

# Sentences of varied words, as a book has, cut at a sentence boundary.
python3 - "$CHARS" "$FORMAT" >"$WORK/body.json" <<'PY'
import json, random, sys
chars, fmt = int(sys.argv[1]), sys.argv[2]
r = random.Random(7)
subjects = ["The old lighthouse keeper", "A small fishing boat", "The morning train",
            "Our neighbour's grey cat", "The council's new library", "A harbour master"]
verbs = ["watched", "carried", "remembered", "painted", "followed", "described"]
objects = ["the storm clouds over the bay", "a basket of fresh bread", "every lamp on the pier",
           "the long road through the hills", "twelve wooden crates of apples"]
tails = ["", " before the sun went down", " for almost three hours", " as the tide came in"]
text = ""
while True:
    s = f"{r.choice(subjects)} {r.choice(verbs)} {r.choice(objects)}{r.choice(tails)}."
    if len(text) + 1 + len(s) > chars:
        break
    text = (text + " " + s) if text else s
print(json.dumps({"text": text, "format": fmt, "voice_settings": {"voice": "espeak:en-us"}}))
PY

sample() {
  local rss heap
  rss=$(ps -o rss= -p "$SERVICE" | tr -d ' ')
  # used heap in KB: survivor, eden and old generation in use
  heap=$("$JSTAT" -gc "$SERVICE" | awk 'NR==2 {printf "%d", $3+$4+$6+$8}')
  echo "$rss $heap" >>"$WORK/samples"
}
sample
BEFORE_RSS=$(awk '{print $1}' "$WORK/samples")
START=$(date +%s.%N)
ID=$(curl -sf "localhost:$PORT/tts/request" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["request_id"])')
STATUS=queued
while [ "$STATUS" != completed ] && [ "$STATUS" != failed ]; do
  sample
  sleep 0.5
  STATUS=$(curl -sf "localhost:$PORT/tts/status/$ID" -H "Authorization: Bearer $KEY" | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["status"])')
done
END=$(date +%s.%N)
sample
curl -sf "localhost:$PORT/tts/status/$ID" -H "Authorization: Bearer $KEY" >"$WORK/status.json"
MAX_HEAP=$(( $("$JCMD" "$SERVICE" VM.flags | grep -oP 'MaxHeapSize=\K\d+' | head -1) / 1024 ))
python3 - "$CHARS" "$FORMAT" "$START" "$END" "$BEFORE_RSS" "$MAX_HEAP" "$STATUS" \
  "$WORK/samples" "$WORK/status.json" "${TTS_BENCH_JAVA_OPTS:-default}" <<'PY'
import json, sys
chars, fmt, start, end, before, max_heap, status, samples, status_file, opts = sys.argv[1:]
rows = [tuple(map(int, l.split())) for l in open(samples) if l.strip()]
doc = json.load(open(status_file))
audio = doc.get("audio") or {}
seconds = float(end) - float(start)
print(f"| {int(chars):,} chars, {fmt}, JVM {opts} | {status} | {seconds:.1f} s submit→completed "
      f"| {audio.get('duration_seconds', 0):,.0f} s of audio ({audio.get('bytes', 0)/1e6:.0f} MB) "
      f"| RSS {int(before)/1024:.0f} → peak {max(r[0] for r in rows)/1024:.0f} MB "
      f"| heap in use peak {max(r[1] for r in rows)/1024:.0f} MB of {int(max_heap)/1024:.0f} MB max |")
PY
