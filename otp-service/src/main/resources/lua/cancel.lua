-- Cancels a pending verification; answers {phone, purpose, channel} for its event, or 0. KEYS: 1 verification
local v = redis.call('HMGET', KEYS[1], 'status', 'phone', 'purpose', 'id', 'channel')
if v[1] ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'canceled')
local pk = 'otp:p:' .. v[2] .. ':' .. v[3]
if redis.call('GET', pk) == v[4] then redis.call('DEL', pk) end
return {v[2], v[3], v[5]}
