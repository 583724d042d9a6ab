-- Where a queued job stands, read in one call instead of a round trip per command (a status poll
-- of a queued job runs it). Changes nothing. All keys are of the job's user's queue partition.
-- KEYS[1] admitted (request id -> user), KEYS[2] admitted-count (user -> places),
-- KEYS[3..5] the streams high, normal, low, KEYS[6..8] the user's held lists high, normal, low.
-- ARGV[1] request id, ARGV[2] user id, ARGV[3] the job's priority (1 high, 2 normal, 3 low),
-- ARGV[4] most entries or held jobs read, ARGV[5] entries read per page, ARGV[6] consumer group,
-- ARGV[7] the job's held entry as queue-admit.lua writes it ("<id> <created_at>"), found with
-- LPOS (a scan in C, not a loop in Lua); entries written otherwise are still found by their id.
-- Returns {held, ahead in its priority, the user's own ahead, waiting in higher priorities,
-- at least (the scan limit was reached)}, each 0/1 or a count; all 0 when the queue does not hold
-- it (lost: the sweeper queues it again).
local id, user, priority = ARGV[1], ARGV[2], tonumber(ARGV[3])
local limit, page, group = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]

-- entries of a stream no worker has taken yet
local function waiting(stream)
  local length = redis.call('XLEN', stream)
  if length == 0 then
    return 0
  end
  local pending = redis.pcall('XPENDING', stream, group)
  if type(pending) ~= 'table' or pending.err then
    return length -- no group yet: nothing was taken
  end
  return math.max(0, length - pending[1])
end

-- just after the group's last delivered entry: where the waiting entries begin
local function waitingFrom(stream)
  local groups = redis.pcall('XINFO', 'GROUPS', stream)
  if type(groups) ~= 'table' or groups.err then
    return '-'
  end
  for _, g in ipairs(groups) do
    local name, last
    for i = 1, #g, 2 do
      if g[i] == 'name' then
        name = g[i + 1]
      elseif g[i] == 'last-delivered-id' then
        last = g[i + 1]
      end
    end
    if name == group and last then
      return '(' .. last
    end
  end
  return '-'
end

local higher = 0
for p = 1, priority - 1 do
  higher = higher + waiting(KEYS[2 + p])
end

local stream = KEYS[2 + priority]
if redis.call('HEXISTS', KEYS[1], id) == 1 then
  local from = waitingFrom(stream)
  local ahead, userAhead = 0, 0
  while ahead < limit do
    local entries = redis.call('XRANGE', stream, from, '+', 'COUNT', page)
    for _, entry in ipairs(entries) do
      local fields, requestId, userId = entry[2], nil, nil
      for i = 1, #fields, 2 do
        if fields[i] == 'request_id' then
          requestId = fields[i + 1]
        elseif fields[i] == 'user_id' then
          userId = fields[i + 1]
        end
      end
      if requestId == id then
        return {0, ahead, userAhead, higher, 0}
      end
      ahead = ahead + 1
      if userId == user then
        userAhead = userAhead + 1
      end
    end
    if #entries < page then
      -- not among the waiting entries: a worker has taken it and is about to start it
      return {0, 0, 0, higher, 0}
    end
    from = '(' .. entries[#entries][1]
  end
  return {0, ahead, userAhead, higher, 1}
end

local userAhead = tonumber(redis.call('HGET', KEYS[2], user) or '0') or 0
for p = 1, priority - 1 do
  userAhead = userAhead + redis.call('LLEN', KEYS[5 + p])
end
local list, prefix, start = KEYS[5 + priority], id .. ' ', 0
local index = redis.call('LPOS', list, ARGV[7], 'MAXLEN', limit)
if index then
  return {1, waiting(stream), userAhead + index, higher, 0}
end
if redis.call('LLEN', list) >= limit then
  -- not among the first `limit`: at least that many of the user's wait before it
  return {1, waiting(stream), userAhead + limit, higher, 1}
end
while start < limit do
  local items = redis.call('LRANGE', list, start, start + page - 1)
  for i, item in ipairs(items) do
    if string.sub(item, 1, #prefix) == prefix then
      return {1, waiting(stream), userAhead + start + i - 1, higher, 0}
    end
  end
  if #items < page then
    return {0, 0, 0, 0, 0}
  end
  start = start + page
end
return {1, waiting(stream), userAhead + limit, higher, 1}
