-- Undoes a create whose otp.requested event could not be published: nothing was sent, so the user keeps the code
-- they already had and is not charged a send against the limits or the conversion watch.
-- KEYS: 1 new verification, 2 phone+purpose pointer, 3 gap, 4 15-minute count, 5 24-hour count, 6 ip count (or ''),
--       7 number-prefix count, 8 idempotency key (or '')
-- ARGV: 1 new id, 2 replaced id (or '')
local v = redis.call('HMGET', KEYS[1], 'phone', 'country', 'sent_bucket')
if v[3] then
  local prefix = string.sub(v[1], 1, -5)
  for _, k in ipairs({'otp:fw:s:' .. prefix .. ':' .. v[3], 'otp:fw:cs:' .. v[2] .. ':' .. v[3]}) do
    if tonumber(redis.call('GET', k) or '0') > 0 then redis.call('DECR', k) end
  end
end
redis.call('DEL', KEYS[1])
if KEYS[8] ~= '' then redis.call('DEL', KEYS[8]) end
redis.call('DEL', KEYS[3])
for _, k in ipairs({KEYS[4], KEYS[5], KEYS[6], KEYS[7]}) do
  if k ~= '' and tonumber(redis.call('GET', k) or '0') > 0 then redis.call('DECR', k) end
end
local prev = ARGV[2]
if prev ~= '' and redis.call('HGET', 'otp:v:' .. prev, 'status') == 'canceled' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local left = tonumber(redis.call('HGET', 'otp:v:' .. prev, 'expires_ms') or '0') - now
  if left > 0 then
    redis.call('HSET', 'otp:v:' .. prev, 'status', 'pending')
    redis.call('SET', KEYS[2], prev, 'PX', left)
    return 1
  end
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
