-- Baseline: GET /health, a JSON answer built from the clock and a constant (no I/O).
dofile("bench/wrk/report.lua")
wrk.method = "GET"
wrk.path = "/health"
