-- (after queue-promote.lua) Moves one user's held jobs in while they hold fewer than the cap's
-- places: after the cap was raised, or a lost place was freed.
-- KEYS[1..4] as in queue-admit.lua, KEYS[5..7] the user's held lists (high, normal, low),
-- KEYS[8..10] the streams (high, normal, low), KEYS[11..12] the user's entries and held-at
-- (queue-entry.lua).
-- ARGV[1] cap, ARGV[2] user id.
-- Returns how many moved in.
return promote(ARGV[2], tonumber(ARGV[1]), {KEYS[5], KEYS[6], KEYS[7]}, {KEYS[8], KEYS[9], KEYS[10]}, KEYS[11], KEYS[12])
