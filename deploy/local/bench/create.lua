-- wrk script: POST /api/v1/verifications, each request for a different valid UK mobile number.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("OTP_KEY") or "local-otp-key")
local counter = 0
request = function()
  counter = counter + 1
  local phone = string.format("+447400%06d", math.random(0, 999999))
  return wrk.format(nil, nil, nil, '{"phone":"' .. phone .. '"}')
end
local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency)
  io.write(string.format("p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
