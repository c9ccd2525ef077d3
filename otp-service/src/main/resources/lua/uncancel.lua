-- Undoes a cancellation whose otp.canceled event could not be published, so the code works again.
-- KEYS: 1 verification, 2 its phone+purpose pointer (one slot: the phone's tag)
local v = redis.call('HMGET', KEYS[1], 'status', 'id', 'expires_ms')
if v[1] ~= 'canceled' then return 0 end
-- A newer code for the phone and purpose exists meanwhile: reviving this one would leave two live codes.
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local t = redis.call('TIME')
local left = tonumber(v[3] or '0') - (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
if left <= 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', 'pending')
redis.call('SET', KEYS[2], v[2], 'PX', left)
return 1
