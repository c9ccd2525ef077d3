-- The conversion watch's sliding window, per number prefix (otp:{fw}:p:<prefix>) and per country (otp:{fw}:c:<cc>):
-- one hash each, fields s<bucket> (sent) and a<bucket> (approved), so one HMGET reads a window and the key is known
-- before the script runs (declared). Fields older than the window are dropped as new buckets are counted, and a
-- hash nobody counts into expires a window after its last bucket began.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Sent and approved over the n buckets ending at `bucket`.
local function window_sums(key, bucket, n)
  local fields = {}
  for i = 0, n - 1 do
    fields[#fields + 1] = 's' .. (bucket - i)
    fields[#fields + 1] = 'a' .. (bucket - i)
  end
  local v = redis.call('HMGET', key, unpack(fields))
  local sent, approved = 0, 0
  for i = 1, #v, 2 do
    sent = sent + tonumber(v[i] or '0')
    approved = approved + tonumber(v[i + 1] or '0')
  end
  return sent, approved
end
-- Counts one send ('s') or approval ('a') in `bucket` of a window of n buckets.
local function window_incr(key, kind, bucket, bucketMs, n)
  -- The first count of a bucket drops the bucket that left the window and keeps the hash for one more window.
  if redis.call('HINCRBY', key, kind .. bucket, 1) > 1 then return end
  redis.call('HDEL', key, kind .. (bucket - n))
  redis.call('PEXPIRE', key, bucketMs * (n + 1))
  -- Traffic with gaps can leave older fields behind: sweep them when the hash holds more than a window's worth.
  if redis.call('HLEN', key) > 2 * n + 4 then
    for _, f in ipairs(redis.call('HKEYS', key)) do
      local b = tonumber(string.sub(f, 2))
      if b and b <= bucket - n then redis.call('HDEL', key, f) end
    end
  end
end
-- Takes back one send or approval counted in `bucket` (undone), if it is still counted.
local function window_decr(key, kind, bucket)
  if tonumber(redis.call('HGET', key, kind .. bucket) or '0') > 0 then
    redis.call('HINCRBY', key, kind .. bucket, -1)
  end
end
