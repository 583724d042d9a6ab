#!/usr/bin/env bash
# CI's image step: builds the image with podman (base images made by build-base.sh from Debian's
# packages, since no registry is reachable) and proves that it runs: against this machine's
# PostgreSQL and Redis it starts on a read-only root file system, turns ready, its HEALTHCHECK
# passes, it creates the admin key on first start, speaks a request submitted with that key
# (the audio is downloaded and checked; espeak-ng through its library), runs with the AOT cache
# trained into the image, streams speech, records a JFR profile (the jlink'd JRE
# has what every engine and endpoint needs), serves /metrics on its management port only, runs as
# a non-root user, and stops gracefully on SIGTERM.
#
# Usage: deploy/image/ci-image-test.sh            (root; podman, runc, debootstrap, psql, curl, jq)
#   APP_JAR            jar to pack (default: target/tts-api-*.jar; none = build with the wrapper)
#   TTS_IMAGE_DATABASE fresh database it creates and drops (default tts_image_test)
#   TTS_IMAGE_REDIS_DB Redis db it empties (default 11)
#   IMAGE              tag to build (default localhost/tts-api:ci)
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/image/containers.conf}"
start=$(date +%s)
database="${TTS_IMAGE_DATABASE:-tts_image_test}"
redis_db="${TTS_IMAGE_REDIS_DB:-11}"
image="${IMAGE:-localhost/tts-api:ci}"
port=$((20000 + RANDOM % 20000))
management_port=$((port + 1))
name="tts-image-test-$$"
work="$(mktemp -d)"
psql_() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

cleanup() {
  podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  psql_ -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "ci-image-test: $*" >&2
  podman logs --tail 60 "$name" >&2 2>&1 || true
  exit 1
}

deploy/image/build-base.sh
echo "Base images ready after $(($(date +%s) - start)) s"

jar="${APP_JAR:-$(ls -t target/tts-api-*.jar 2>/dev/null | head -n1 || true)}"
podman build --format docker --network=host \
  --build-arg BUILD_BASE=localhost/temurin-jdk:25 \
  --build-arg RUNTIME_BASE=localhost/debian-base:bookworm \
  ${jar:+--build-arg APP_JAR="$jar"} \
  -t "$image" . >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; exit 1; }
built=$(date +%s)
echo "Built $image in $((built - start)) s, $(podman image inspect "$image" --format '{{.Size}}' | numfmt --to=iec), from ${jar:-a wrapper build}"

psql_ -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
redis-cli -n "$redis_db" flushdb >/dev/null
mkdir -p "$work/data" && chown 10001:10001 "$work/data"

# As in Kubernetes (deploy/k8s): read-only root file system, writable /tmp and data volume only.
# The HEALTHCHECK is run below by hand: podman's timer for it needs systemd, absent here.
podman run -d --name "$name" --network=host --read-only --tmpfs /tmp --health-interval=disable \
  -v "$work/data:/data" \
  -e PORT="$port" \
  -e MANAGEMENT_PORT="$management_port" \
  -e DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$database" \
  -e REDIS_URL="redis://127.0.0.1:6379/$redis_db" \
  "$image" >/dev/null 2>"$work/run.err" || { cat "$work/run.err" >&2; exit 1; }

base="http://127.0.0.1:$port"
ready=""
for _ in $(seq 1 180); do
  if curl -fsS -o /dev/null "$base/health/ready" 2>/dev/null; then ready=yes; break; fi
  [ "$(podman inspect "$name" --format '{{.State.Running}}')" = true ] || fail "container exited"
  sleep 1
done
[ -n "$ready" ] || fail "not ready after 180 s"
echo "Ready $(($(date +%s) - built)) s after podman run"

# The image's own HEALTHCHECK (kept by --format docker) passes.
podman healthcheck run "$name" >/dev/null || fail "HEALTHCHECK failed"
[ "$(podman inspect "$name" --format '{{.State.Health.Status}}')" = healthy ] || fail "not healthy"

# The JVM runs with the AOT cache the image was trained with: mapped into the process, not refused
# as made by another JVM or class path (it would start anyway, slowly, with a warning).
podman exec "$name" grep -q /app/aot/tts-api.aot /proc/1/maps \
  || fail "the JVM does not use the AOT cache /app/aot/tts-api.aot"

uid="$(podman exec "$name" id -u)"
[ "$uid" != 0 ] || fail "runs as root"

key="$(podman logs "$name" 2>&1 | grep -oP 'Admin API key: \K\S+' | head -n1)"
[ -n "$key" ] || fail "no admin key in the log"
auth=(-H "Authorization: Bearer $key")

# MaryTTS in English and espeak-ng in Vietnamese, each downloaded and checked.
speak() { # text language format -> audio file
  local body id status
  body=$(jq -nc --arg t "$1" --arg l "$2" --arg f "$3" '{text:$t, voice_settings:{language:$l}, format:$f}')
  id=$(curl -fsS "$base/tts/request" "${auth[@]}" -H 'Content-Type: application/json' -d "$body" \
    | jq -r .request_id) || fail "submit refused"
  for _ in $(seq 1 60); do
    status=$(curl -fsS "$base/tts/status/$id" "${auth[@]}" | jq -r .status)
    [ "$status" = completed ] && break
    [ "$status" = failed ] && fail "request $id failed"
    sleep 1
  done
  [ "$status" = completed ] || fail "request $id still $status"
  curl -fsS "$base/tts/audio/$id" "${auth[@]}" -o "$work/$id.$3" || fail "no audio for $id"
  echo "$work/$id.$3"
}
wav=$(speak "Hello from the tts-api image." en-US wav)
[ "$(head -c 4 "$wav")" = RIFF ] && [ "$(stat -c %s "$wav")" -gt 20000 ] || fail "not a WAV: $wav"
mp3=$(speak "Xin chào từ tts-api." vi-VN mp3)
[ "$(stat -c %s "$mp3")" -gt 2000 ] || fail "MP3 too short"
if command -v sox >/dev/null && dpkg -s libsox-fmt-mp3 >/dev/null 2>&1; then
  for f in "$wav" "$mp3"; do
    d=$(sox --i -D "$f")
    awk -v d="$d" 'BEGIN { exit !(d > 0.5) }' || fail "$f lasts $d s"
  done
fi

# Streaming speech (Ogg Opus), a JFR profile and the detailed health: the JRE's other modules.
curl -fsS "$base/v1/audio/speech" "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"model":"tts-1","input":"Streaming from the image.","voice":"alloy","response_format":"opus"}' \
  -o "$work/speech.ogg" || fail "streaming speech failed"
[ "$(head -c 4 "$work/speech.ogg")" = OggS ] || fail "streamed speech is not Ogg"
curl -fsS -X POST "$base/admin/profile?seconds=1" "${auth[@]}" -o "$work/profile.jfr" \
  || fail "JFR profile failed"
[ "$(head -c 3 "$work/profile.jfr")" = FLR ] || fail "not a JFR file"
curl -fsS "$base/health/detailed" "${auth[@]}" | jq -e '.application.engines | .mary == "ok" and .espeak == "ok"' \
  >/dev/null || fail "an engine is not ok"
# espeak-ng through libespeak-ng (JNA's native half from /opt/jna, the library copied into memory
# files), not the fallback of one process per call, which would work too and hide the loss.
# (The log is read whole first: with pipefail, grep -q leaving at its first match kills podman
# logs with SIGPIPE and fails the pipeline although the line is there.)
podman logs "$name" > "$work/service.log" 2>&1 || true
grep -q 'espeak-ng runs through libespeak-ng' "$work/service.log" \
  || fail "espeak-ng does not run through libespeak-ng"

# As deployed (deploy/compose, deploy/k8s): /metrics on the management port only.
curl -fsS "http://127.0.0.1:$management_port/metrics" | grep -q '^tts_queue_length{' \
  || fail "no metrics on the management port"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/metrics")" = 404 ] \
  || fail "/metrics answered on the API port"

# SIGTERM: a graceful stop (143), not a kill after the timeout (137).
podman stop -t 60 "$name" >/dev/null 2>"$work/stop.err" || { cat "$work/stop.err" >&2; fail "podman stop failed"; }
code="$(podman inspect "$name" --format '{{.State.ExitCode}}')"
[ "$code" = 143 ] || [ "$code" = 0 ] || fail "exit code $code on SIGTERM"

echo "Image test passed in $(($(date +%s) - start)) s: ready, healthy, AOT cache used, uid $uid, spoke WAV and MP3, streamed Opus, profiled, metrics on the management port only, stopped with $code"
