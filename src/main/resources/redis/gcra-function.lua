-- gcra(buckets, limits, period, cost): GCRA (generic cell rate algorithm) over one or more buckets,
-- all or nothing: the call is allowed only if every bucket has room, and only then does every
-- bucket advance. Time is Redis's own clock, so any number of API nodes share one exact limit
-- whatever their clocks say. buckets[i] holds its "theoretical arrival time" in milliseconds and
-- allows limits[i] calls per period (milliseconds); the call costs cost calls (a batch of n: n).
-- Returns {allowed (0/1), remaining, retry after ms, reset ms}; when refused, remaining is how many
-- calls' worth there is room for now (so a batch can say how many of its items would fit).
local function gcra(buckets, limits, period, cost)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local allowed = 1
  local retry = 0
  local remaining = -1
  local reset = 0
  local tats = {}
  for i = 1, #buckets do
    local limit = limits[i]
    local interval = period / limit
    local tat = tonumber(redis.call('GET', buckets[i])) or now
    if tat < now then tat = now end
    local new_tat = tat + cost * interval
    local allow_at = new_tat - period
    -- room now, in calls; the epsilon keeps float error (an interval of 0.06 ms) from losing a call
    local room = math.floor((now - tat + period) / interval + 1e-6)
    local left
    if now < allow_at then
      allowed = 0
      left = math.max(0, room)
      retry = math.max(retry, allow_at - now)
      reset = math.max(reset, tat - now)
    else
      left = room - cost
      reset = math.max(reset, new_tat - now)
    end
    if remaining < 0 or left < remaining then remaining = left end
    tats[i] = new_tat
  end
  if allowed == 1 then
    for i = 1, #buckets do
      redis.call('SET', buckets[i], string.format('%.3f', tats[i]), 'PX',
        math.ceil(tats[i] - now) + 1)
    end
  end
  return {allowed, remaining, math.ceil(retry), math.ceil(reset)}
end
