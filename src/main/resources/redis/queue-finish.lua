-- (after queue-promote.lua) Acknowledges and deletes a job's entry, frees its place and moves the
-- user's next held jobs in, in one step: no crash can fall between them, and a place freed twice
-- is freed once.
-- KEYS[1..4] as in queue-admit.lua, KEYS[5] the entry's stream, KEYS[6..8] the user's held lists
-- (high, normal, low), KEYS[9..11] the streams (high, normal, low), KEYS[12..13] the user's
-- entries and held-at (queue-entry.lua).
-- ARGV[1] cap, ARGV[2] entry id ('' when there is no entry), ARGV[3] request id, ARGV[4] group,
-- ARGV[5] the user the caller named the keys for.
-- Returns how many held jobs moved in; -1 if the job held no place; -2 (nothing done) if the place
-- belongs to another user than ARGV[5], whose keys the caller must name instead.
local user = redis.call('HGET', KEYS[1], ARGV[3])
if user and user ~= ARGV[5] then return -2 end
if ARGV[2] ~= '' then
  redis.call('XACK', KEYS[5], ARGV[4], ARGV[2])
  redis.call('XDEL', KEYS[5], ARGV[2])
end
redis.call('HDEL', KEYS[12], ARGV[3])
if not user then return -1 end
redis.call('HDEL', KEYS[1], ARGV[3])
if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
  redis.call('HDEL', KEYS[2], user)
end
return promote(user, tonumber(ARGV[1]), {KEYS[6], KEYS[7], KEYS[8]}, {KEYS[9], KEYS[10], KEYS[11]}, KEYS[12], KEYS[13])
