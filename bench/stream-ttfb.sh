#!/usr/bin/env bash
# Time to first audio byte of POST /v1/audio/speech for a 2,000-character text, against the time
# to the whole answer (and to the whole answer of POST /tts/request). Needs the local PostgreSQL
# and Redis. Usage: bench/stream-ttfb.sh [runs] [in-process|split]
# Test stores apart per checkout: TTS_TEST_DATABASE (default tts_test), TTS_TEST_REDIS_DB (9).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Dtts.test.database="${TTS_TEST_DATABASE:-tts_test}" \
  -Dtts.test.redis-db="${TTS_TEST_REDIS_DB:-9}" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.ttsapi.speech.StreamTtfbBench "$@"
