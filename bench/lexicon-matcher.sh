#!/usr/bin/env bash
# What pronunciation lexicons cost a submission (on the API node): building the matcher of 5
# lexicons and applying it to one text, median of the runs, in a JVM of its own.
# Usage: bench/lexicon-matcher.sh [rules-per-lexicon] [text-chars] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -ntp -o test-compile
java -cp target/classes:target/test-classes dev.ttsapi.lexicon.LexiconMatcherBench \
  "${1:-10000}" "${2:-100000}" "${3:-15}"
