-- GET /tts/status/{id} over ids of earlier submissions (TTS_BENCH_IDS: one id per line), each
-- thread starting at another place in the list.
dofile("bench/wrk/report.lua")
local ids = read_lines(os.getenv("TTS_BENCH_IDS"))
local i = 0
function init(args)
  i = ((tid or 1) * 7919) % #ids
end
function request()
  i = i % #ids + 1
  return wrk.format("GET", "/tts/status/" .. ids[i], auth)
end
