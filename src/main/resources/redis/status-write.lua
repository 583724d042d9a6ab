-- A request's whole status snapshot as one command: fields gone since the last write (an earlier
-- attempt's error) removed, the fields set, the expiry renewed and the event published. A reader
-- never sees a hash half written, nor an event ahead of the hash.
-- KEYS[1]: the status hash tts_status:<id>.
-- ARGV[1]: ttl seconds; ARGV[2]: event channel; ARGV[3]: event JSON; ARGV[4]: n, the number of
-- fields to remove, named in ARGV[5 .. 4 + n]; then field, value pairs.
local cleared = tonumber(ARGV[4])
if cleared > 0 then
  redis.call('HDEL', KEYS[1], unpack(ARGV, 5, 4 + cleared))
end
redis.call('HSET', KEYS[1], unpack(ARGV, 5 + cleared))
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
