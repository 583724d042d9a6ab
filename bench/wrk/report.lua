-- Shared by every scenario: one machine-readable line when wrk ends, read by bench/run.sh.
-- Latencies are wrk's (time from sending a request to its whole response, per connection).
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
    "max_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end

-- Gives each wrk thread a number, so per-thread counters make unique texts across threads.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

-- An optional pause after each response on every connection (TTS_BENCH_DELAY_MS), to run a
-- scenario below its saturated rate; wrk 4 has no rate option and wrk2 is not in Debian.
local pause = tonumber(os.getenv("TTS_BENCH_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end

auth = { ["Authorization"] = "Bearer " .. (os.getenv("TTS_BENCH_KEY") or "") }
json_auth = {
  ["Authorization"] = auth["Authorization"],
  ["Content-Type"] = "application/json",
}

-- The body bench/SynthesisBench sends too (same voice, format and defaults, hence the same
-- content key for the same text). TTS_BENCH_VOICE picks another voice (bench/scale.sh: a short
-- espeak-ng job).
local voice = os.getenv("TTS_BENCH_VOICE") or "mary:cmu-slt-hsmm"
function submit_body(text)
  return '{"text":"' .. text .. '","voice_settings":{"voice":"' .. voice .. '"},"format":"wav"}'
end

function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  assert(#lines > 0, "no lines in " .. path)
  return lines
end
