#!/usr/bin/env bash
# Runs the service's jar the fast way: extracted (Spring Boot's `-Djarmode=tools extract`, plain
# jars on the class path instead of jars nested in one) and with the JDK's AOT cache (JDK 25+:
# JEP 483, 514 and 515: the classes loaded and linked, and method profiles, of a training run;
# JDK 21-24: an AppCDS archive of the classes). The cache is made by one training run the first
# time, and again whenever the jar or the JDK changes. bench/startup.sh measures what it gives.
#
#   deploy/jar/run.sh [service arguments]     e.g. deploy/jar/run.sh --roles=api
#   deploy/jar/run.sh --train [arguments]     (re)make the cache with those arguments, then exit
#
# Environment: what `java -jar` reads (DATABASE_URL, REDIS_URL, PORT, TTS_DATA_DIR, ...), and
#   TTS_JAR      [target/tts-api-*.jar]  the jar to run
#   TTS_AOT_DIR  [target/aot]            where the extracted jar and the cache are kept
#   JAVA_HOME    the JDK (else `java` on the PATH); a cache works only with the JDK that made it
#   JAVA_OPTS    more JVM options, for the training run and the service alike
#
# The training run is the service started with the same arguments and environment, stopped once
# its Spring context is refreshed (spring.context.exit=onRefresh): every bean is made (so
# Flyway's migrations run on the configured database, as a first start would, and a worker loads
# its speech engines), nothing is served and no job is taken. About as long as one start.
# A cache the JVM cannot use (another JDK, a changed class path) is ignored with a warning and
# the service starts the slow way; it never keeps the service from starting.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
train_only=
if [ "${1:-}" = --train ]; then
  train_only=yes
  shift
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="${TTS_JAR:-$(ls -t "$root"/target/tts-api-*.jar 2>/dev/null | head -n1 || true)}"
[ -n "$jar" ] && [ -f "$jar" ] || {
  echo "deploy/jar/run.sh: no jar; build it first: ./mvnw -DskipTests package" >&2
  exit 1
}
dir="${TTS_AOT_DIR:-$root/target/aot}"
# shellcheck disable=SC2206
opts=(${JAVA_OPTS:-})
log() { echo "deploy/jar/run.sh: $*" >&2; }

feature=$("$java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
if [ "${feature:-0}" -ge 25 ]; then
  cache="$dir/tts-api.aot"
  record=(-XX:AOTCacheOutput="$cache")
  use=(-XX:AOTCache="$cache")
else
  cache="$dir/tts-api.jsa"
  record=(-XX:ArchiveClassesAtExit="$cache")
  use=(-XX:SharedArchiveFile="$cache")
fi

# What the cache was made from: the jar (size, time) and the JDK. Another one means a new cache.
stamp="$(stat -c '%s %Y' "$jar") $(readlink -f "$(command -v "$java")") $("$java" -version 2>&1 | tr '\n' ' ')"
# A training that failed for this jar and JDK is not retried on every start, only with --train.
if [ -n "$train_only" ] || { [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ] &&
  [ "$(cat "$dir/failed" 2>/dev/null)" != "$stamp" ]; }; then
  log "extracting $(basename "$jar") into $dir/app"
  mkdir -p "$dir"
  rm -rf "$dir/app" "$dir/stamp" "$dir/failed" "$cache"
  "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >/dev/null
  app="$(ls "$dir"/app/*.jar | head -n1)"
  log "training the cache (the service starts once and stops when its context is ready)"
  started=$(date +%s)
  if "$java" "${record[@]}" -Dspring.context.exit=onRefresh "${opts[@]}" -jar "$app" "$@" \
    >"$dir/training.log" 2>&1 && [ -f "$cache" ]; then
    echo "$stamp" >"$dir/stamp"
    log "cache $(basename "$cache") made in $(($(date +%s) - started)) s ($(du -h "$cache" | cut -f1)); training log $dir/training.log"
  else
    rm -f "$cache"
    echo "$stamp" >"$dir/failed"
    [ -z "$train_only" ] || { log "the training run failed (log: $dir/training.log)"; exit 1; }
    log "the training run failed (log: $dir/training.log); starting without a cache"
  fi
fi
[ -z "$train_only" ] || exit 0
app="$(ls "$dir"/app/*.jar | head -n1)"
if [ -f "$cache" ]; then
  exec "$java" "${use[@]}" "${opts[@]}" -jar "$app" "$@"
fi
exec "$java" "${opts[@]}" -jar "$app" "$@"
