-- Undoes an approval whose otp.verified event could not be published, so the user can try the same code again.
-- KEYS: 1 verification
local v = redis.call('HMGET', KEYS[1], 'status', 'phone', 'purpose', 'id', 'expires_ms', 'country', 'approved_bucket')
if v[1] ~= 'approved' then return 0 end
local pk = 'otp:p:' .. v[2] .. ':' .. v[3]
local current = redis.call('GET', pk)
-- A newer code replaced this one meanwhile: reviving it would leave two live codes for one phone.
if current and current ~= v[4] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'pending')
redis.call('HDEL', KEYS[1], 'verified_at', 'approved_bucket')
if v[7] then
  local prefix = string.sub(v[2], 1, -5)
  for _, k in ipairs({'otp:fw:a:' .. prefix .. ':' .. v[7], 'otp:fw:ca:' .. v[6] .. ':' .. v[7]}) do
    if tonumber(redis.call('GET', k) or '0') > 0 then redis.call('DECR', k) end
  end
end
local t = redis.call('TIME')
local left = tonumber(v[5] or '0') - (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
if left > 0 then redis.call('SET', pk, v[4], 'PX', left, 'NX') end
return 1
