-- A daily quota counter: adds ARGV[2] to KEYS[1] only if the total stays within ARGV[1].
-- ARGV[3]: seconds the counter lives (past the end of its day). Returns {allowed (0/1), used}.
local used = tonumber(redis.call('GET', KEYS[1])) or 0
local limit = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
if used + cost > limit then
  return {0, used}
end
used = redis.call('INCRBY', KEYS[1], cost)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return {1, used}
