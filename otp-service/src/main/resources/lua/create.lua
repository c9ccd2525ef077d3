-- Checks every send limit, counts the send, retires the pending code of the same phone and purpose, and stores the
-- new verification, all atomically.
-- KEYS: 1 verification, 2 phone+purpose pointer, 3 gap, 4 15-minute count, 5 24-hour count, 6 ip count (or ''),
--       7 phone lock, 8 idempotency key (or ''), 9 number-prefix count (1 hour)
-- ARGV: 1 id, 2 ttl ms, 3 gap ms, 4 limit 15m, 5 limit 24h, 6 limit ip, 7 request fingerprint, 8 limit prefix,
--       9.. field/value pairs of the verification
local function retry(key)
  local t = redis.call('PTTL', key)
  if t < 0 then t = 1000 end
  return t
end
-- A retried create with the same Idempotency-Key returns the first verification and sends nothing.
if KEYS[8] ~= '' then
  local seen = redis.call('GET', KEYS[8])
  if seen then return {'idempotent', seen} end
end
if redis.call('EXISTS', KEYS[7]) == 1 then return {'phone_locked', retry(KEYS[7])} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {'rate_limited_phone_gap', retry(KEYS[3])} end
if tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[4]) then
  return {'rate_limited_phone_15m', retry(KEYS[4])}
end
if tonumber(redis.call('GET', KEYS[5]) or '0') >= tonumber(ARGV[5]) then
  return {'rate_limited_phone_24h', retry(KEYS[5])}
end
if KEYS[6] ~= '' and tonumber(redis.call('GET', KEYS[6]) or '0') >= tonumber(ARGV[6]) then
  return {'rate_limited_ip', retry(KEYS[6])}
end
-- SMS pumping walks through a range of numbers: cap sends per number prefix (the number without its last 4 digits).
if tonumber(redis.call('GET', KEYS[9]) or '0') >= tonumber(ARGV[8]) then
  return {'rate_limited_prefix', retry(KEYS[9])}
end
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[3], '1', 'PX', ARGV[3]) end
if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], 900000) end
if redis.call('INCR', KEYS[5]) == 1 then redis.call('PEXPIRE', KEYS[5], 86400000) end
if KEYS[6] ~= '' and redis.call('INCR', KEYS[6]) == 1 then redis.call('PEXPIRE', KEYS[6], 3600000) end
if redis.call('INCR', KEYS[9]) == 1 then redis.call('PEXPIRE', KEYS[9], 3600000) end
local prev = redis.call('GET', KEYS[2])
if prev and redis.call('HGET', 'otp:v:' .. prev, 'status') == 'pending' then
  redis.call('HSET', 'otp:v:' .. prev, 'status', 'canceled')
end
redis.call('HSET', KEYS[1], unpack(ARGV, 9))
if KEYS[8] ~= '' then redis.call('SET', KEYS[8], ARGV[1] .. '|' .. ARGV[7], 'PX', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {'ok', prev or ''}
