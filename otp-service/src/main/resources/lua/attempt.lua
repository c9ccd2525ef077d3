-- Counts a check attempt BEFORE the code is compared, so parallel guesses cannot exceed the budget.
-- KEYS: 1 verification, 2 its phone's lock. Returns the stored hash for a constant-time compare in Java.
local v = redis.call('HMGET', KEYS[1], 'status', 'phone', 'hash', 'amount', 'payee', 'expires_ms')
if not v[1] then return {'not_found'} end
if v[1] == 'max_attempts_reached' then return {'max_attempts'} end
if v[1] ~= 'pending' then return {'not_found'} end
-- The record outlives its code (so GET can say "expired"); the code itself dies at expires_ms, by Redis's clock.
local t = redis.call('TIME')
if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) >= tonumber(v[6] or '0') then return {'expired'} end
local lock = redis.call('PTTL', KEYS[2])
if lock > 0 then return {'phone_locked', lock} end
local left = redis.call('HINCRBY', KEYS[1], 'attempts_left', -1)
if left < 0 then
  -- Only a wrong code spends the verification (fail.lua); a surplus of parallel checks must not kill an approval
  -- that is under way.
  redis.call('HSET', KEYS[1], 'attempts_left', 0)
  return {'max_attempts'}
end
return {'compare', v[3], left, v[4] or '', v[5] or ''}
