#!/usr/bin/env bash
# Queue throughput on one Redis server, a 1-master Redis Cluster and a 3-master Redis Cluster
# (each master with one replica), with the service's own queue code (QueueThroughputBench: the
# admit script under the per-user cap; XREADGROUP and the finish script). No HTTP, PostgreSQL or
# synthesis: what the queue's Redis side carries. Writes bench/results/<date>-cluster.md with the
# machine's load before and after, since other work on the machine changes the numbers.
#
#   bench/cluster-throughput.sh [JOBS] [ROUNDS]
#
#   TTS_BENCH_PORT_BASE [7131]  ports BASE..BASE+9 are used (standalone, 1-master, 3-master)
#   TTS_BENCH_USERS [300]  TTS_BENCH_READERS [4] per partition  TTS_BENCH_IN_FLIGHT [64]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-20000}
ROUNDS=${2:-3}
BASE=${TTS_BENCH_PORT_BASE:-7131}
USERS=${TTS_BENCH_USERS:-300}
READERS=${TTS_BENCH_READERS:-4}
IN_FLIGHT=${TTS_BENCH_IN_FLIGHT:-64}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DATA=$(realpath -m target/bench-redis)
OUT=bench/results/$(date -u +%F)-cluster.md
RAW=$(mktemp /tmp/tts-cluster-bench.XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT

node() { # node PORT [cluster]
  local port=$1 dir=$DATA/$1
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$dir"; mkdir -p "$dir"
  local extra=()
  [ "${2:-}" = cluster ] && extra=(--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000)
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
    --logfile "$dir/redis.log" "${extra[@]}" &
  PIDS+=($!)
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
}

await_ok() { # await_ok PORT
  until redis-cli -p "$1" cluster info | grep -q 'cluster_state:ok'; do sleep 0.2; done
}

./mvnw -q -ntp -o test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"

# One server.
node "$BASE"
# A Cluster of one master (all 16384 slots) and its replica.
node $((BASE + 1)) cluster; node $((BASE + 2)) cluster
redis-cli -p $((BASE + 1)) cluster addslotsrange 0 16383 >/dev/null
redis-cli -p $((BASE + 2)) cluster meet 127.0.0.1 $((BASE + 1)) >/dev/null
await_ok $((BASE + 1))
sleep 1
redis-cli -p $((BASE + 2)) cluster replicate "$(redis-cli -p $((BASE + 1)) cluster myid)" >/dev/null
# A Cluster of three masters and three replicas, made as the tests make theirs.
THREE=()
for i in 4 5 6 7 8 9; do node $((BASE + i)) cluster; THREE+=("127.0.0.1:$((BASE + i))"); done
redis-cli --cluster create "${THREE[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
await_ok $((BASE + 4))

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ONE_CLUSTER="redis-cluster://127.0.0.1:$((BASE + 1)),127.0.0.1:$((BASE + 2))"
THREE_CLUSTER="redis-cluster://$(IFS=,; echo "${THREE[*]}")"
for round in $(seq 1 "$ROUNDS"); do
  for setup in "standalone redis://127.0.0.1:$BASE 1" \
               "cluster-1-master $ONE_CLUSTER 3" \
               "cluster-3-masters $THREE_CLUSTER 3"; do
    read -r name url partitions <<<"$setup"
    echo "[bench] round $round: $name" >&2
    line=$("$JAVA_HOME/bin/java" -cp "$CP" dev.ttsapi.queue.QueueThroughputBench "$url" "$partitions" "$JOBS" \
      "$USERS" "$READERS" "$IN_FLIGHT" 2>/dev/null | grep admit_per_s)
    echo "setup=$name round=$round load=$(cut -d' ' -f1 /proc/loadavg) $line" | tee -a "$RAW" >&2
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<" $1"; }
row() { # row SETUP
  local admits finishes loads
  admits=$(grep "^setup=$1 " "$RAW" | while read -r l; do field "$l" admit_per_s; done | sort -n | tr '\n' ' ')
  finishes=$(grep "^setup=$1 " "$RAW" | while read -r l; do field "$l" finish_per_s; done | sort -n | tr '\n' ' ')
  loads=$(grep "^setup=$1 " "$RAW" | while read -r l; do field "$l" load; done | tr '\n' ' ')
  local med_a med_f
  med_a=$(tr ' ' '\n' <<<"$admits" | grep . | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  med_f=$(tr ' ' '\n' <<<"$finishes" | grep . | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "| $1 | $med_a | $med_f | $admits | $finishes | $loads |"
}
{
  echo "# Queue throughput: one server, 1-master and 3-master Redis Cluster ($(date -u +%F))"
  echo
  echo "Command: \`bench/cluster-throughput.sh $JOBS $ROUNDS\` (jobs per run $JOBS, users $USERS,"
  echo "readers per partition $READERS, admits in flight $IN_FLIGHT, $ROUNDS rounds, setups interleaved)."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; shared with other work."
  echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
  echo
  echo "| setup | admit/s (median) | read+finish/s (median) | admit/s (all) | read+finish/s (all) | 1-min load at each run |"
  echo "|---|---|---|---|---|---|"
  row standalone
  row cluster-1-master
  row cluster-3-masters
  echo
  echo "Raw lines:"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "[bench] wrote $OUT" >&2
