#!/usr/bin/env bash
# Where a JFR recording's CPU went: samples per thread group, then the share of samples in which
# each method of interest is on the stack (inclusive; a method counts once per sample). Uses the
# CPU-time sampler (jdk.CPUTimeSample, JDK 25) when the recording has it — it also counts time in
# system calls — and jdk.ExecutionSample otherwise.
#   bench/jfr-summary.sh recording.jfr [how-many-methods]
set -euo pipefail
file=$1
top=${2:-25}
JFR=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jfr
event=jdk.CPUTimeSample
"$JFR" summary "$file" | grep -q "jdk.CPUTimeSample  *[1-9]" || event=jdk.ExecutionSample
"$JFR" print --events "$event" --stack-depth 200 "$file" >"$file.txt"
total=$(grep -c "^$event {" "$file.txt" || true)
echo "$total samples ($event)"
echo "by thread:"
grep -oP '^\s+(sampledThread|eventThread) = "\K[^"]+' "$file.txt" | sed 's/[-#0-9]*$//' |
  sort | uniq -c | sort -rn | head -n 6 | awk -v t="$total" '{ printf "  %5.1f%% %s\n", 100 * $1 / t, $2 }'
echo "on the stack (inclusive), this project's code and the I/O beneath it:"
awk -v ev="$event" '
  $0 ~ "^" ev " \\{" { delete seen; next }
  /^[ \t]+[a-zA-Z_$][^ ]*\(.*\)/ {
    m = $1; sub(/\(.*/, "", m)
    if (!(m in seen)) { seen[m] = 1; c[m]++ }
  }
  END { for (m in c) print c[m], m }' "$file.txt" |
  grep -E ' (dev\.ttsapi\.[a-z]+\.[A-Z][A-Za-z]*\.[a-z][A-Za-z]*$|org\.postgresql\.core\.v3\.QueryExecutorImpl\.execute$|io\.lettuce\.core\.protocol\.CommandHandler\.(write|channelRead)$|sun\.nio\.ch\.SocketDispatcher\.(read|write)$|ch\.qos\.logback\.core\.OutputStreamAppender\.append$|org\.springframework\.web\.filter\.ShallowEtagHeaderFilter\.doFilterInternal$|io\.micrometer\.core\.instrument\.AbstractTimer\.record$)' |
  grep -v 'lambda\$' | sort -rn | head -n "$top" | awk -v t="$total" '{ printf "  %5.1f%% %s\n", 100 * $1 / t, $2 }'
rm -f "$file.txt"
