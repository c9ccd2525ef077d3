-- wrk script: POST /api/auth/verify-otp with the right code of a login created by login-create.lua. Each pair is
-- used once, so every request is a real code check, a user upsert, a session and a refresh-token row; a thread stops
-- when its pairs are used up. The refresh tokens of the answers go to tokens-<thread> for refresh.lua.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local bodies, next, out = {}, 0, nil
function init(args)
  -- Each refresh token that comes back is kept in <dir>/tokens-<thread> for refresh.lua.
  out = io.open(os.getenv("LOGIN_BENCH_PAIRS") .. "/tokens-" .. tid, "w")
  out:setvbuf("line")
  for line in io.lines(os.getenv("LOGIN_BENCH_PAIRS") .. "/pairs-" .. tid) do
    local phone, code = line:match("(%S+) (%S+)")
    bodies[#bodies + 1] = '{"phone":"' .. phone .. '","otp_code":"' .. code .. '","device_name":"bench"}'
  end
end
local answered, failed = 0, 0
request = function()
  next = next % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next])
end
response = function(status, headers, body)
  answered = answered + 1
  if status ~= 200 then failed = failed + 1 else
    local token = body:match('"refresh_token":"([^"]+)"')
    if token then out:write(token, "\n") end
  end
  if answered >= #bodies then wrk.thread:stop() end
end
done = function(summary, latency)
  io.write(string.format("p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
