-- wrk script: an abuser hammering one phone number; after the first code every request must be refused (429).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("OTP_KEY") or "local-otp-key")
wrk.body = '{"phone":"+447400999999"}'
done = function(summary, latency)
  io.write(string.format("p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
