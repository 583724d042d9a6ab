-- What the per-user cap's scripts share: where each of a user's jobs stands, kept in two hashes of
-- the user's, entries (request id -> "<priority> <entry id> <n>", jobs in the streams: at most the
-- cap's worth) and held-at (request id -> "<priority> <k>", held jobs), so queue-place.lua places a
-- job with a few O(log n) lookups however long the queue.
--
-- enter(stream, entries, priority, id, fields): adds a job's entry to its priority's stream and
-- remembers where it stands, so queue-place.lua places it without reading the stream. The entry
-- carries its number `n`, the stream's entries-added counter (Redis 7) once it is in, and the
-- user's entries hash (KEYS passed by the caller) maps the request id to
-- "<priority 1..3> <entry id> <n>". Only delivered entries are ever deleted, so the entries still
-- waiting before a job are exactly its n minus the n of the first waiting entry: O(1) however long
-- the stream. On a Redis without the counter the entry gets no number and the place is scanned for.
-- fields: the entry's fields as a flat list (request_id, created_at, user_id, ...). Returns the
-- entry's id.
local function added(stream)
  local info = redis.pcall('XINFO', 'STREAM', stream)
  if type(info) ~= 'table' or info.err then
    return 0 -- no stream yet: XADD makes it, and counts from zero
  end
  for i = 1, #info, 2 do
    if info[i] == 'entries-added' then
      return tonumber(info[i + 1])
    end
  end
  return nil
end

-- hold(list, heldAt, priority, id, item): puts a job at the end of the user's held list of its
-- priority and remembers its number there, "<priority> <k>": k is one more than the number of the
-- job before it (1 in an empty list). Held lists only grow at the end and shrink at the front, so
-- the held jobs before it are its k minus the first one's. Unnumbered when the job before it has
-- no number (held by an older version): then the place is searched for.
local function hold(list, heldAt, priority, id, item)
  local k = 1
  local tail = redis.call('LINDEX', list, -1)
  if tail then
    local remembered = redis.call('HGET', heldAt, string.match(tail, '^(%S+)'))
    k = remembered and tonumber(string.match(remembered, '^%d+ (%d+)$'))
    k = k and k + 1
  end
  redis.call('RPUSH', list, item)
  if k then
    redis.call('HSET', heldAt, id, priority .. ' ' .. k)
  else
    redis.call('HDEL', heldAt, id)
  end
end

local function enter(stream, entries, priority, id, fields)
  local before = added(stream)
  local args = {'XADD', stream, '*'}
  for _, f in ipairs(fields) do
    args[#args + 1] = f
  end
  if before == nil then
    redis.call('HDEL', entries, id)
    return redis.call(unpack(args))
  end
  local n = before + 1
  args[#args + 1] = 'n'
  args[#args + 1] = n
  local entry = redis.call(unpack(args))
  redis.call('HSET', entries, id, priority .. ' ' .. entry .. ' ' .. n)
  return entry
end
