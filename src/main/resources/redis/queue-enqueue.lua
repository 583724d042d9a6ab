-- (after queue-entry.lua) Adds a job that already holds its place to the end of its stream (a
-- retry), remembering where its new entry stands.
-- KEYS[1] the stream, KEYS[2] the user's entries. ARGV[1] priority (1 high, 2 normal, 3 low),
-- ARGV[2] request id, ARGV[3..] the entry's fields and values. Returns the entry id.
local fields = {}
for i = 3, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
return enter(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[2], fields)
