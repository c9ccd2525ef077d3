-- wrk script: POST /api/auth/refresh with each refresh token login.lua kept, once each: every request is a lookup
-- of the hashed token, its rotation (the old one spent, a new one stored) and a new ES256 access token. A thread
-- stops when its tokens are used up.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local bodies, next = {}, 0
function init(args)
  for line in io.lines(os.getenv("LOGIN_BENCH_PAIRS") .. "/tokens-" .. tid) do
    bodies[#bodies + 1] = '{"refresh_token":"' .. line .. '"}'
  end
end
local answered = 0
request = function()
  next = next % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next])
end
response = function(status, headers, body)
  answered = answered + 1
  if answered >= #bodies then wrk.thread:stop() end
end
done = function(summary, latency)
  io.write(string.format("p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
