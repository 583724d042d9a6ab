-- POST /tts/request with a text no request had before (a cache miss, queued): the text carries
-- the run, the wrk thread and a per-thread counter.
dofile("bench/wrk/report.lua")
local run = os.getenv("TTS_BENCH_RUN") or tostring(os.time())
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("POST", "/tts/request", json_auth, submit_body(string.format(
    "Submit benchmark %s, thread %d, request number %d.", run, tid or 0, counter)))
end
