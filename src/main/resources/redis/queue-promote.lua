-- (after queue-entry.lua) promote(user, cap, lists, streams, entries, heldAt): moves the user's held jobs
-- into the streams, highest priority first and oldest first, while the user holds fewer than cap
-- places. lists and streams are the user's held lists and the partition's streams, both in the
-- order high, normal, low, and passed by the caller as KEYS. KEYS[1..4] are the partition's
-- admitted, admitted-count, holders and held-count, as in queue-admit.lua; entries and heldAt are
-- the user's hashes of queue-entry.lua. Held items are "<request id> <created_at>".
local function promote(user, cap, lists, streams, entries, heldAt)
  local priorities = {'high', 'normal', 'low'}
  local n = tonumber(redis.call('HGET', KEYS[2], user) or '0')
  local moved, left = 0, 0
  for i, p in ipairs(priorities) do
    while n < cap do
      local item = redis.call('LPOP', lists[i])
      if not item then break end
      -- a count that reaches zero goes, so an idle queue leaves no key behind
      if redis.call('HINCRBY', KEYS[4], p, -1) <= 0 then redis.call('HDEL', KEYS[4], p) end
      local space = string.find(item, ' ', 1, true)
      local id = string.sub(item, 1, space - 1)
      redis.call('HDEL', heldAt, id)
      -- a copy of a job already in the streams is dropped, not admitted twice
      if redis.call('HEXISTS', KEYS[1], id) == 0 then
        redis.call('HSET', KEYS[1], id, user)
        n = redis.call('HINCRBY', KEYS[2], user, 1)
        enter(streams[i], entries, i, id,
          {'request_id', id, 'created_at', string.sub(item, space + 1), 'user_id', user})
        moved = moved + 1
      end
    end
    left = left + redis.call('LLEN', lists[i])
  end
  if left == 0 then redis.call('SREM', KEYS[3], user) end
  return moved
end
