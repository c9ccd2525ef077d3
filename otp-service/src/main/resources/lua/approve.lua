-- Consumes a verification exactly once: only the caller that moves it from pending to approved wins.
-- KEYS: 1 verification. ARGV: 1 verified_at
local v = redis.call('HMGET', KEYS[1], 'status', 'phone', 'purpose', 'id')
if v[1] ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'approved', 'verified_at', ARGV[1])
local pk = 'otp:p:' .. v[2] .. ':' .. v[3]
if redis.call('GET', pk) == v[4] then redis.call('DEL', pk) end
redis.call('DEL', 'otp:fail:' .. v[2], 'otp:lockn:' .. v[2])
return 1
