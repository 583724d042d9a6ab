-- (after queue-entry.lua) Offers a job under the per-user cap: into its priority's stream while the
-- user holds fewer than the cap's places, else held back in the user's list for that priority. A
-- job that still holds a place (its entry was lost) goes into the stream again. All keys are of
-- one queue partition.
-- KEYS[1] admitted (request id -> user), KEYS[2] admitted-count (user -> places),
-- KEYS[3] holders (users with held jobs), KEYS[4] held-count (priority -> held jobs),
-- KEYS[5] the job's stream, KEYS[6] the user's held list of the job's priority,
-- KEYS[7] the user's entries, KEYS[8] the user's held-at (where its jobs stand, queue-entry.lua).
-- ARGV[1] cap, ARGV[2] request id, ARGV[3] user id, ARGV[4] created_at, ARGV[5] priority,
-- ARGV[6] content key or '' (carried by the entry, not by a held item: a held job's entry has none).
-- Returns 1 queued, 2 queued again (it held a place), 0 held.
local id, user = ARGV[2], ARGV[3]
local rank = ({high = 1, normal = 2, low = 3})[ARGV[5]] or 2
local fields = {'request_id', id, 'created_at', ARGV[4], 'user_id', user}
if ARGV[6] and ARGV[6] ~= '' then
  fields[#fields + 1] = 'content_key'
  fields[#fields + 1] = ARGV[6]
end
if redis.call('HEXISTS', KEYS[1], id) == 1 then
  enter(KEYS[5], KEYS[7], rank, id, fields)
  return 2
end
if tonumber(redis.call('HGET', KEYS[2], user) or '0') < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], id, user)
  redis.call('HINCRBY', KEYS[2], user, 1)
  enter(KEYS[5], KEYS[7], rank, id, fields)
  return 1
end
hold(KEYS[6], KEYS[8], rank, id, id .. ' ' .. ARGV[4])
redis.call('SADD', KEYS[3], user)
redis.call('HINCRBY', KEYS[4], ARGV[5], 1)
return 0
