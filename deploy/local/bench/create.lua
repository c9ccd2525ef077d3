-- wrk script: POST /api/v1/verifications, each request for a different valid UK mobile number.
-- OTP_BENCH_PAIRS=<dir>: keep each created id and its debug_code (the stack runs with OTP_EXPOSE_CODE=true) in
-- <dir>/pairs-<thread> for check.lua. RATE=<req/s> with CONNS=<connections>: pace each connection so the whole
-- run offers about RATE req/s (latency below saturation; wrk waits `delay` ms between a response and the next request).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("OTP_KEY") or "local-otp-key")
local threads, out = 0, nil
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  -- Each wrk thread has its own Lua state with the same default seed: unseeded, both threads would ask for the
  -- same numbers and every second create would replace the first one's code.
  math.randomseed(os.time() * 100 + tid)
  local dir = os.getenv("OTP_BENCH_PAIRS")
  if dir then out = io.open(dir .. "/pairs-" .. tid, "w") end
end
request = function()
  local phone = string.format("+447400%06d", math.random(0, 999999))
  return wrk.format(nil, nil, nil, '{"phone":"' .. phone .. '"}')
end
if os.getenv("RATE") then
  local pause = tonumber(os.getenv("CONNS")) * 1000 / tonumber(os.getenv("RATE"))
  delay = function() return pause end
end
response = function(status, headers, body)
  if out and status == 201 then
    local id, code = body:match('"id":"([^"]+)"'), body:match('"debug_code":"([^"]+)"')
    if id and code then out:write(id, " ", code, "\n") end
  end
end
done = function(summary, latency)
  io.write(string.format("p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
