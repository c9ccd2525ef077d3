-- Cancels a pending verification. KEYS: 1 verification, 2 its phone+purpose pointer
local v = redis.call('HMGET', KEYS[1], 'status', 'id')
if v[1] ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'canceled')
if redis.call('GET', KEYS[2]) == v[2] then redis.call('DEL', KEYS[2]) end
return 1
