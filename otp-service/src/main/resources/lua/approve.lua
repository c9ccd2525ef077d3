-- Consumes a verification exactly once: only the caller that moves it from pending to approved wins. An approval is
-- also counted for the conversion watch of the number's prefix and country.
-- KEYS: 1 verification. ARGV: 1 verified_at, 2 bucket ms, 3 buckets (0 when the watch is off)
local v = redis.call('HMGET', KEYS[1], 'status', 'phone', 'purpose', 'id', 'expires_ms', 'country', 'sent_bucket')
if v[1] ~= 'pending' then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now >= tonumber(v[5] or '0') then return 0 end
redis.call('HSET', KEYS[1], 'status', 'approved', 'verified_at', ARGV[1])
local pk = 'otp:p:' .. v[2] .. ':' .. v[3]
if redis.call('GET', pk) == v[4] then redis.call('DEL', pk) end
redis.call('DEL', 'otp:fail:' .. v[2], 'otp:lockn:' .. v[2])
local buckets = tonumber(ARGV[3])
if buckets > 0 and v[7] then
  local bucketMs = tonumber(ARGV[2])
  local bucket = math.floor(now / bucketMs)
  local prefix = string.sub(v[2], 1, -5)
  for _, k in ipairs({'otp:fw:a:' .. prefix .. ':' .. bucket, 'otp:fw:ca:' .. v[6] .. ':' .. bucket}) do
    if redis.call('INCR', k) == 1 then redis.call('PEXPIRE', k, bucketMs * (buckets + 1)) end
  end
  redis.call('HSET', KEYS[1], 'approved_bucket', bucket)
end
return 1
