-- Only the progress of a status hash. A worker knows only the request's id: the owner is read from
-- the hash itself, so the event goes out in the same round trip. No owner (the hash expired) means
-- no event.
-- KEYS[1]: the status hash. ARGV[1]: progress 0..1; ARGV[2]: request id; ARGV[3]: channel prefix.
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
local values = redis.call('HMGET', KEYS[1], 'user_id', 'status')
if values[1] then
  redis.call('PUBLISH', ARGV[3] .. values[1], cjson.encode({request_id = ARGV[2],
    user_id = values[1], status = values[2], progress = tonumber(ARGV[1])}))
end
return 1
