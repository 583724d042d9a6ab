-- POST /tts/request of texts already synthesized (TTS_BENCH_TEXTS: one text per line): each
-- completes at once with cache_hit, without the queue.
dofile("bench/wrk/report.lua")
local texts = read_lines(os.getenv("TTS_BENCH_TEXTS"))
local i = 0
function init(args)
  i = ((tid or 1) * 31) % #texts
end
function request()
  i = i % #texts + 1
  return wrk.format("POST", "/tts/request", json_auth, submit_body(texts[i]))
end
