# Sourced by the benchmarks: a user for the load, made through the admin API of a running node, with
# the per-minute budget and the daily quota raised out of the way (the benchmarks measure the
# service, not its limits).
#
#   bench_user BASE_URL ADMIN_KEY NAME   → prints "USER_ID API_KEY"
bench_user() {
  local base=$1 admin=$2 name=$3 user key
  user=$(curl -sf "$base/admin/users" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d "{\"name\":\"$name\"}" | grep -oP '"user_id":"\K[^"]+')
  [ -n "$user" ] || { echo "bench_user: no user made at $base" >&2; return 1; }
  key=$(curl -sf -X POST "$base/admin/users/$user/keys" -H "Authorization: Bearer $admin" |
    grep -oP '"api_key":"\K[^"]+')
  curl -sf -X PUT "$base/admin/users/$user/limits" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' \
    -d '{"requests_per_minute":2000000000,"characters_per_day":1000000000000}' >/dev/null
  echo "$user $key"
}
