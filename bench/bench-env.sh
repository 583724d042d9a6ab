# Sourced by the benchmarks that run the built jar against the local PostgreSQL and Redis
# (bench/jar-node.sh, and through it bench/startup.sh and bench/memory.sh; bench/scale.sh). The
# script sets first: BENCH_NAME (the log prefix), REDIS_PORT, REDIS_DB.
# This gives it:
#   log, die, calc NUMBER_EXPR [DECIMALS], field RESULT_LINE NAME
#   JAVA (JAVA_HOME's if it is a JDK 21 or newer, else JDK 25's), PSQL (array), REDIS (array),
#     both checked to answer
#   JAR (TTS_BENCH_JAR, or this checkout's jar, built if there is none or the sources are newer)
# Needs: wrk, curl, psql, redis-cli.

log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<" $1"; }

for tool in wrk curl psql redis-cli; do command -v $tool >/dev/null || die "missing: $tool"; done
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[ -x "$JAVA_HOME/bin/java" ] || die "no JDK 21 or newer: set JAVA_HOME"
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA)
REDIS=(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$REDIS_DB")
"${PSQL[@]}" -d postgres -c 'SELECT 1' >/dev/null || die "no PostgreSQL on 127.0.0.1:5432"
[ "$("${REDIS[@]}" ping)" = PONG ] || die "no Redis on 127.0.0.1:$REDIS_PORT"

if [ -z "${TTS_BENCH_JAR:-}" ]; then
  newest_source=$(find src/main pom.xml -type f -newer "$(ls -t target/tts-api-*.jar 2>/dev/null | head -n1 || echo pom.xml)" 2>/dev/null | head -n1 || true)
  if ! ls target/tts-api-*.jar >/dev/null 2>&1 || [ -n "$newest_source" ]; then
    log "building (./mvnw -q -o package -DskipTests)"
    ./mvnw -q -o package -DskipTests >/dev/null 2>&1 || ./mvnw -q package -DskipTests >/dev/null ||
      die "build failed"
  fi
fi
JAR=${TTS_BENCH_JAR:-$(ls -t target/tts-api-*.jar | head -n1)}
