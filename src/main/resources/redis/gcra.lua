-- (after gcra-function.lua) Per-minute budgets of one call, all or nothing.
-- KEYS[i]: bucket i. ARGV[1]: the period in milliseconds; ARGV[i + 1]: bucket i's limit per period.
-- ARGV[#KEYS + 2], optional: what the call costs, in calls (a batch of n items costs n); 1 if absent.
-- Returns gcra's {allowed (0/1), remaining, retry after ms, reset ms}.
local limits = {}
for i = 1, #KEYS do limits[i] = tonumber(ARGV[i + 1]) end
return gcra(KEYS, limits, tonumber(ARGV[1]), tonumber(ARGV[#KEYS + 2]) or 1)
