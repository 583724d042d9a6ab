-- quota(key, limit, cost, ttl): a daily quota counter; adds cost to key only if the total stays
-- within limit, and lets the counter live ttl seconds (past the end of its day).
-- Returns {allowed (0/1), used}.
local function quota(key, limit, cost, ttl)
  local used = tonumber(redis.call('GET', key)) or 0
  if used + cost > limit then
    return {0, used}
  end
  used = redis.call('INCRBY', key, cost)
  redis.call('EXPIRE', key, ttl)
  return {1, used}
end
