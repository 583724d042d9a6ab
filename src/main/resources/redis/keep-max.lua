-- Keeps the larger of KEYS[1]'s value and ARGV[1] (two writers may arrive out of order), and
-- renews the key's life to ARGV[2] milliseconds. Values are zero-padded decimals, so comparing
-- strings compares numbers.
local current = redis.call('GET', KEYS[1])
if not current or current < ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
