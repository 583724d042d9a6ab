#!/usr/bin/env bash
# Time to the first audio byte (and to the last) of POST /v1/audio/speech through nginx and
# straight from the node, in alternating order (nginx first in one round, the node first in the
# next) so neither path always meets the warmer or busier machine. One service of this checkout
# (every role, synthesizing in process) on empty stores of its own (bench/service.sh), and nginx
# with the shipped configuration (or TTS_BENCH_NGINX_CONF) in front of it, its upstream this node.
#
#   bench/nginx-ttfb.sh [rounds] [voice]      (defaults: 10 alloy, i.e. MaryTTS)
#
# Needs what bench/service.sh needs, plus /usr/sbin/nginx and python3. Prints one Markdown row.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-10}
VOICE=${2:-alloy}
PORT=${TTS_BENCH_PORT:-18191}
NGINX_PORT=${TTS_BENCH_NGINX_PORT:-18192}
CONF=${TTS_BENCH_NGINX_CONF:-deploy/nginx/nginx.conf}
. bench/service.sh
NGINX=
trap '[ -n "$NGINX" ] && kill "$NGINX" 2>/dev/null; stop_service; rm -rf "$WORK"' EXIT
start_service "$PORT"

mkdir -p "$WORK/nginx/logs"
sed -e "s|listen 80;|listen 127.0.0.1:$NGINX_PORT;|" \
  -e "s|access_log /dev/stdout tts;|access_log $WORK/nginx/access.log tts;|" \
  "$CONF" >"$WORK/nginx/nginx.conf"
echo "server 127.0.0.1:$PORT max_fails=3 fail_timeout=10s;" >"$WORK/nginx/upstream.conf"
/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
  -g "daemon off; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log;" &
NGINX=$!
sleep 1

python3 - "$ROUNDS" "$VOICE" "$PORT" "$NGINX_PORT" "$KEY" <<'PY'
import http.client, json, statistics, sys, time
rounds, voice, port, nginx_port, key = int(sys.argv[1]), sys.argv[2], *sys.argv[3:]
text = ("The first sentence comes soon. The second one follows it. A third one ends the paragraph."
        " And a fourth one, to be sure. The fifth sentence is longer than the others, so that the"
        " answer takes a while to make. The sixth one is here. The seventh sentence talks about the"
        " weather, which is grey and cold today. The eighth says that tomorrow may be brighter.")
body = json.dumps({"model": "tts-1", "voice": voice, "response_format": "pcm", "input": text})

def call(p):
    start = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", int(p))
    c.request("POST", "/v1/audio/speech", body,
              {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    r = c.getresponse()
    assert r.status == 200, r.read()
    r.read(1)
    first = time.perf_counter() - start
    total = 1 + len(r.read())
    c.close()
    assert total > 10_000
    return first * 1000, (time.perf_counter() - start) * 1000

for p in (port, nginx_port, port, nginx_port):  # warm-up, unmeasured
    call(p)
direct, proxied = [], []
for i in range(rounds):
    order = [(port, direct), (nginx_port, proxied)]
    for p, out in (order if i % 2 else order[::-1]):
        out.append(call(p))
def med(xs, k):
    return statistics.median(x[k] for x in xs)
df, nf = med(direct, 0), med(proxied, 0)
print(f"| {rounds} rounds, voice {voice} | first byte: nginx {nf:.0f} ms, direct {df:.0f} ms"
      f" ({(nf / df - 1) * 100:+.1f} %) | whole answer: nginx {med(proxied, 1):.0f} ms,"
      f" direct {med(direct, 1):.0f} ms | first byte, each run (nginx/direct):"
      f" {', '.join(f'{a[0]:.0f}/{b[0]:.0f}' for a, b in zip(proxied, direct))} |")
PY
