#!/usr/bin/env bash
# espeak-ng through libespeak-ng against one espeak-ng process per call, on one short sentence:
# time of one synthesis (p50, p90 of the runs) and sentences per second from two callers at once.
# Usage: bench/espeak-library.sh [runs] [seconds-per-throughput-window]     (about 30 s)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -ntp -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
"${JAVA_HOME:+$JAVA_HOME/bin/}java" --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.ttsapi.engine.espeak.EspeakLibraryBench "${1:-100}" "${2:-5}"
