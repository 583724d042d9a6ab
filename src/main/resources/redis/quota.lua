-- (after quota-function.lua) A daily quota counter: adds ARGV[2] to KEYS[1] only if the total
-- stays within ARGV[1]. ARGV[3]: seconds the counter lives (past the end of its day).
-- Returns {allowed (0/1), used}.
return quota(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
