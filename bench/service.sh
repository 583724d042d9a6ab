# Sourced by bench scripts that need one service of this checkout on empty stores:
#   start_service <port>   recreates the database TTS_BENCH_DATABASE, starts a Redis of its own on
#                          TTS_BENCH_REDIS_PORT and the service from target/classes (every role,
#                          JVM options TTS_BENCH_JAVA_OPTS), waits until it is ready; sets
#                          SERVICE (its pid), KEY (the admin key it printed) and WORK (a temp dir)
#   stop_service           stops what start_service started (also on exit)
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), redis-server, curl, a JDK (JAVA_HOME).

DATABASE=${TTS_BENCH_DATABASE:-tts_bench_long}
REDIS_PORT=${TTS_BENCH_REDIS_PORT:-6399}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d)
SERVICE=

start_service() {
  local port=$1
  ./mvnw -q -ntp -o compile dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/bench-runtime-classpath.txt -Dspotless.check.skip=true >/dev/null
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DATABASE" \
    -c "CREATE DATABASE $DATABASE" >/dev/null
  redis-server --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" >/dev/null
  DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DATABASE" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT" TTS_DATA_DIR="$WORK/data" \
    "$JAVA" ${TTS_BENCH_JAVA_OPTS:-} -cp "target/classes:$(cat target/bench-runtime-classpath.txt)" \
    dev.ttsapi.TtsApiApplication --server.port="$port" >"$WORK/service.log" 2>&1 &
  SERVICE=$!
  for _ in $(seq 1 180); do
    curl -sf "localhost:$port/health/ready" >/dev/null 2>&1 && break
    sleep 1
  done
  KEY=$(grep -oP 'Admin API key: \K\S+' "$WORK/service.log")
}

stop_service() {
  if [ -n "$SERVICE" ]; then
    kill "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null || true
    SERVICE=
  fi
  if [ -f "$WORK/redis.pid" ]; then
    kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
    rm -f "$WORK/redis.pid"
  fi
}
