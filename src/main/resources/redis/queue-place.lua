-- Where a queued job stands, read in one call instead of a round trip per command (a status poll
-- of a queued job runs it). Changes nothing. All keys are of the job's user's queue partition.
-- A job is placed from the numbers queue-entry.lua gave it and the first waiting (or held) job: a
-- few O(log n) lookups, however many wait. Only a job written without a number (by an older
-- version, or on a Redis before 7) is searched for, reading up to ARGV[4] entries or held jobs.
-- KEYS[1] admitted (request id -> user), KEYS[2] admitted-count (user -> places),
-- KEYS[3..5] the streams high, normal, low, KEYS[6..8] the user's held lists high, normal, low,
-- KEYS[9] the user's entries (request id -> "<priority> <entry id> <n>"), KEYS[10] the user's
-- held-at (request id -> "<priority> <k>"), both as queue-entry.lua writes them.
-- ARGV[1] request id, ARGV[2] user id, ARGV[3] the job's priority (1 high, 2 normal, 3 low), or 0:
-- the priority the queue remembers it by (its entries or held-at field), for a poll that places the
-- job before it has read its status, in the same round trip;
-- ARGV[4] most entries or held jobs read, ARGV[5] entries read per page, ARGV[6] consumer group,
-- ARGV[7] the job's held entry as queue-admit.lua writes it ("<id> <created_at>"), found with
-- LPOS (a scan in C, not a loop in Lua); entries written otherwise are still found by their id.
-- Returns {held, ahead in its priority, the user's own ahead, waiting in higher priorities,
-- at least (the scan limit was reached), the priority it was placed in}, each 0/1 or a count; the
-- first five 0 when the queue does not hold it (lost: the sweeper queues it again). With ARGV[3] 0,
-- {-1} when the queue remembers no priority of the job: it is not queued, or was queued without a
-- number (by an older version); two O(1) lookups, so a poll of a running or ended job pays little.
local id, user, priority = ARGV[1], ARGV[2], tonumber(ARGV[3])
local limit, page, group = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
if priority == 0 then
  local remembered = redis.call('HGET', KEYS[9], id) or redis.call('HGET', KEYS[10], id)
  priority = remembered and tonumber(string.match(remembered, '^([123]) '))
  if not priority then
    return {-1}
  end
end

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

-- the group's last delivered entry, nil if none (no group yet, or nothing delivered)
local function lastDelivered(stream)
  local groups = redis.pcall('XINFO', 'GROUPS', stream)
  if type(groups) ~= 'table' or groups.err then
    return nil
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
    if name == group and last and last ~= '0-0' then
      return last
    end
  end
  return nil
end

-- just after the group's last delivered entry: where the waiting entries begin
local function waitingFrom(stream)
  local last = lastDelivered(stream)
  return last and ('(' .. last) or '-'
end

local function field(entry, name)
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == name then
      return fields[i + 1]
    end
  end
  return nil
end

-- whether stream id a comes before b
local function before(a, b)
  local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
  local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
  ams, bms = tonumber(ams), tonumber(bms)
  if ams ~= bms then
    return ams < bms
  end
  return tonumber(aseq) < tonumber(bseq)
end

-- {ahead, user's own ahead} of a job whose entry carries a number, or nil (then it is scanned for)
local function counted(stream, priority)
  local mine = redis.call('HGET', KEYS[9], id)
  if not mine then
    return nil
  end
  local p, entryId, n = string.match(mine, '^(%d+) (%d+%-%d+) (%d+)$')
  if tonumber(p) ~= priority then
    return nil
  end
  n = tonumber(n)
  local found = redis.call('XRANGE', stream, entryId, entryId)
  if #found ~= 1 or field(found[1], 'request_id') ~= id then
    return nil -- not where it was remembered: read the stream
  end
  local last = lastDelivered(stream)
  if last and not before(last, entryId) then
    return {0, 0} -- a worker has taken it and is about to start it
  end
  local first = redis.call('XRANGE', stream, last and ('(' .. last) or '-', '+', 'COUNT', 1)[1]
  local firstN = first and tonumber(field(first, 'n'))
  if not firstN or firstN > n then
    return nil
  end
  -- the user's own entries waiting before it: their numbers lie between the first's and its own
  local userAhead = 0
  local all = redis.call('HGETALL', KEYS[9])
  for i = 2, #all, 2 do
    local q, _, m = string.match(all[i], '^(%d+) (%d+%-%d+) (%d+)$')
    m = tonumber(m)
    if tonumber(q) == priority and m and m >= firstN and m < n then
      userAhead = userAhead + 1
    end
  end
  return {n - firstN, userAhead}
end

-- the job's place in the stream or held list of `priority`, as the first five numbers above
local function place()
  local higher = 0
  for p = 1, priority - 1 do
    higher = higher + waiting(KEYS[2 + p])
  end

  local stream = KEYS[2 + priority]
  if redis.call('HEXISTS', KEYS[1], id) == 1 then
    local known = counted(stream, priority)
    if known then
      return {0, known[1], known[2], higher, 0}
    end
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

  -- a held job's index in its list: its number minus the first held job's, checked with LINDEX; nil
  -- if either has none (then it is searched for)
  local function heldIndex(list)
    local mine = redis.call('HGET', KEYS[10], id)
    local p, k = string.match(mine or '', '^(%d+) (%d+)$')
    local head = redis.call('LINDEX', list, 0)
    if tonumber(p) ~= priority or not head then
      return nil
    end
    local first = redis.call('HGET', KEYS[10], string.match(head, '^(%S+)'))
    local q, k0 = string.match(first or '', '^(%d+) (%d+)$')
    if tonumber(q) ~= priority then
      return nil
    end
    local index = tonumber(k) - tonumber(k0)
    local there = index >= 0 and redis.call('LINDEX', list, index)
    if not there or string.sub(there, 1, #id + 1) ~= id .. ' ' then
      return nil
    end
    return index
  end

  local userAhead = tonumber(redis.call('HGET', KEYS[2], user) or '0') or 0
  for p = 1, priority - 1 do
    userAhead = userAhead + redis.call('LLEN', KEYS[5 + p])
  end
  local list, prefix, start = KEYS[5 + priority], id .. ' ', 0
  local index = heldIndex(list) or redis.call('LPOS', list, ARGV[7], 'MAXLEN', limit)
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
end

local placed = place()
placed[6] = priority
return placed
