-- Undoes an approval whose otp.verified event could not be published, so the user can try the same code again.
-- KEYS: 1 verification
local v = redis.call('HMGET', KEYS[1], 'status', 'phone', 'purpose', 'id')
if v[1] ~= 'approved' then return 0 end
local pk = 'otp:p:' .. v[2] .. ':' .. v[3]
local current = redis.call('GET', pk)
-- A newer code replaced this one meanwhile: reviving it would leave two live codes for one phone.
if current and current ~= v[4] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'pending')
redis.call('HDEL', KEYS[1], 'verified_at')
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', pk, v[4], 'PX', ttl, 'NX') end
return 1
