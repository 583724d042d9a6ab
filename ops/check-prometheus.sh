#!/usr/bin/env bash
# Proves the shipped monitoring works with a real Prometheus (Debian package `prometheus`):
#   1. promtool check rules ops/prometheus/alerts.yml
#   2. promtool test rules ops/prometheus/alerts.test.yml  (every alert fires on made-up series)
#   3. promtool check config ops/prometheus/prometheus.yml  (the shipped scrape config)
#   4. with a TARGET (host:port of a running tts-api's management port, MANAGEMENT_PORT; its main
#      port if it has none): starts Prometheus on loopback with the shipped scrape config aimed at
#      TARGET, scraping every second, and waits until the target is up, tts_queue_length and
#      tts_active_workers have samples, every rule group has been evaluated without error, and
#      every query of ops/grafana/tts-api-dashboard.json runs.
# Usage: ops/check-prometheus.sh [host:port]      Exit status 0 when all of that holds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rules="$here/prometheus/alerts.yml"
scrape="$here/prometheus/prometheus.yml"
target="${1:-}"

promtool check rules "$rules"
(cd "$here/prometheus" && promtool test rules alerts.test.yml)
promtool check config "$scrape"

if [ -z "$target" ]; then
  echo "No target given: rules checked, scrape not tried"
  exit 0
fi

work="$(mktemp -d)"
port="${PROMETHEUS_PORT:-$((20000 + RANDOM % 20000))}"
# The shipped scrape config (job, path), aimed at TARGET and sped up to one scrape a second.
sed -e "s|^\( *scrape_interval:\).*|\1 1s|" \
  -e "s|^\( *evaluation_interval:\).*|\1 1s|" \
  -e "s|^\( *- \)alerts.yml\$|\1$rules|" \
  -e "s|^\( *- targets:\).*|\1 ['$target']|" \
  "$scrape" >"$work/prometheus.yml"
grep -q "targets: \['$target'\]" "$work/prometheus.yml"
promtool check config "$work/prometheus.yml"

prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

api="http://127.0.0.1:$port/api/v1"
query() { curl -fsS --get "$api/query" --data-urlencode "query=$1"; }
has_result() { query "$1" | grep -q '"result":\[{'; }

ok=""
for _ in $(seq 1 60); do
  if has_result "up{job=\"tts-api\"} == 1" \
    && has_result 'tts_queue_length{priority="high"}' \
    && has_result 'tts_active_workers' \
    && curl -fsS "$api/rules" | grep -q '"lastEvaluation":"2' \
    && ! curl -fsS "$api/rules" | grep -q '"health":"\(err\|unknown\)"'; then
    ok=yes
    break
  fi
  sleep 1
done

if [ -z "$ok" ]; then
  echo "Prometheus did not scrape $target/metrics or evaluate the rules in time" >&2
  curl -fsS "$api/targets" >&2 || true
  curl -fsS "$api/rules" >&2 || true
  tail -n 30 "$work/prometheus.log" >&2 || true
  exit 1
fi
# Every query of the shipped dashboard parses and runs on this Prometheus.
dashboard="$here/grafana/tts-api-dashboard.json"
while IFS= read -r expr; do
  expr="${expr//\$__rate_interval/1m}"
  if ! query "$expr" | grep -q '"status":"success"'; then
    echo "Dashboard query fails: $expr" >&2
    exit 1
  fi
done < <(jq -r '.panels[].targets[].expr' "$dashboard")

echo "Prometheus scraped $target/metrics and evaluated $(curl -fsS "$api/rules" | grep -o '"type":"alerting"' | wc -l) alert rules"
