-- wrk script: POST /api/v1/verifications/check with the right code of a verification created by create.lua
-- (OTP_BENCH_PAIRS). Each pair is used once, so every request is a real approval; a thread stops when its pairs are
-- used up, and wrk's rate is over the time until then.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("OTP_KEY") or "local-otp-key")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local bodies, next = {}, 0
function init(args)
  for line in io.lines(os.getenv("OTP_BENCH_PAIRS") .. "/pairs-" .. tid) do
    local id, code = line:match("(%S+) (%S+)")
    bodies[#bodies + 1] = '{"verification_id":"' .. id .. '","code":"' .. code .. '"}'
  end
end
local answered = 0
request = function()
  next = next % #bodies + 1
  return wrk.format(nil, "/api/v1/verifications/check", nil, bodies[next])
end
response = function(status, headers, body)
  answered = answered + 1
  if answered >= #bodies then wrk.thread:stop() end
end
done = function(summary, latency)
  io.write(string.format("p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
