-- Recounts what the per-user cap's counters say from what they count: the places per user from
-- the admitted hash, the held jobs per priority from the holders' lists. Self-healing after a
-- crash or a partial loss of Redis data.
-- KEYS[1] admitted, KEYS[2] admitted-count, KEYS[3] holders, KEYS[4] held-count, then for each
-- holder in ARGV order its three held lists (high, normal, low).
-- ARGV: the holders the caller read. If the set changed since, nothing is done and -1 returned
-- (the caller reads it again); else 1.
local holders = redis.call('SMEMBERS', KEYS[3])
if #holders ~= #ARGV then return -1 end
for _, user in ipairs(ARGV) do
  if redis.call('SISMEMBER', KEYS[3], user) == 0 then return -1 end
end
local counted = {}
local flat = redis.call('HGETALL', KEYS[1])
for i = 2, #flat, 2 do counted[flat[i]] = (counted[flat[i]] or 0) + 1 end
redis.call('DEL', KEYS[2])
for user, n in pairs(counted) do redis.call('HSET', KEYS[2], user, n) end
local totals = {0, 0, 0}
for i = 1, #ARGV do
  for p = 1, 3 do
    totals[p] = totals[p] + redis.call('LLEN', KEYS[4 + (i - 1) * 3 + p])
  end
end
for p, name in ipairs({'high', 'normal', 'low'}) do
  if totals[p] > 0 then
    redis.call('HSET', KEYS[4], name, totals[p])
  else
    redis.call('HDEL', KEYS[4], name)
  end
end
return 1
