-- Extends KEYS[1]'s life to ARGV[2] milliseconds only if it still holds ARGV[1], the caller's own
-- token: a lease that expired and was taken by someone else meanwhile stays theirs. Returns 1 if
-- renewed.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
