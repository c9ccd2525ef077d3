-- Records a wrong code: kills the verification when its attempts are spent, and locks the phone after too many
-- consecutive failures across codes; each further lock doubles, up to a day.
-- KEYS: 1 verification, 2 its phone's failure count, 3 its lock count, 4 its lock.
-- ARGV: 1 failures before lock, 2 first lock ms, 3 attempts left
local phone = redis.call('HGET', KEYS[1], 'phone')
if not phone then return {'gone'} end
if tonumber(ARGV[3]) <= 0 and redis.call('HGET', KEYS[1], 'status') == 'pending' then
  redis.call('HSET', KEYS[1], 'status', 'max_attempts_reached')
end
local fk = KEYS[2]
local n = redis.call('INCR', fk)
redis.call('PEXPIRE', fk, 86400000)
if n >= tonumber(ARGV[1]) then
  local lk = KEYS[3]
  local k = redis.call('INCR', lk)
  redis.call('PEXPIRE', lk, 604800000)
  local ms = math.min(tonumber(ARGV[2]) * (2 ^ (k - 1)), 86400000)
  redis.call('SET', KEYS[4], '1', 'PX', math.floor(ms))
  redis.call('DEL', fk)
  return {'phone_locked', math.floor(ms)}
end
return {'failed', n}
