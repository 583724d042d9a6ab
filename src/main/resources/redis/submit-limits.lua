-- (after gcra-function.lua and quota-function.lua) A submission's limits in one call: its
-- per-minute budget, then, if that allowed it, its characters charged to the daily quota. A call
-- the budget refuses charges no characters; one the quota refuses has still used its budget
-- (as when the two were asked one after the other).
-- KEYS[1 .. #KEYS - 1]: the GCRA buckets (the user's submit budget, the key's); KEYS[#KEYS]: the
-- user's quota counter of the day. All of one user: one hash tag.
-- ARGV[1]: the period in milliseconds; ARGV[i + 1]: bucket i's limit per period;
-- then ARGV[#KEYS + 1]: characters per day, ARGV[#KEYS + 2]: characters charged (0: none),
-- ARGV[#KEYS + 3]: seconds the quota counter lives.
-- Returns {allowed, remaining, retry after ms, reset ms, charged (1, 0 refused, -1 not asked),
-- characters used today}.
local buckets, limits = {}, {}
for i = 1, #KEYS - 1 do
  buckets[i] = KEYS[i]
  limits[i] = tonumber(ARGV[i + 1])
end
local budget = gcra(buckets, limits, tonumber(ARGV[1]), 1)
local characters = tonumber(ARGV[#KEYS + 2])
if budget[1] == 0 or characters <= 0 then
  return {budget[1], budget[2], budget[3], budget[4], -1, 0}
end
local charged = quota(KEYS[#KEYS], tonumber(ARGV[#KEYS + 1]), characters,
  tonumber(ARGV[#KEYS + 3]))
return {budget[1], budget[2], budget[3], budget[4], charged[1], charged[2]}
