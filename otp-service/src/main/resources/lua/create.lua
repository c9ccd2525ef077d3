-- Checks every send limit and the conversion watch, counts the send, retires the pending code of the same phone and
-- purpose, and stores the new verification, all atomically.
-- KEYS: 1 verification, 2 phone+purpose pointer, 3 gap, 4 15-minute count, 5 24-hour count, 6 ip count (or ''),
--       7 phone lock, 8 idempotency key (or ''), 9 number-prefix count (1 hour), 10 prefix block
-- ARGV: 1 id, 2 code life ms, 3 gap ms, 4 limit 15m, 5 limit 24h, 6 limit ip, 7 request fingerprint, 8 limit prefix,
--       9 retention ms (how long the record outlives the code), 10 'test' for a test number else 'send',
--       11 fraud mode (block|monitor|off), 12 bucket ms, 13 buckets, 14 min sends, 15 min conversion per mille,
--       16 block ms, 17 country, 18 number prefix, 19.. field/value pairs of the verification
local function retry(key)
  local t = redis.call('PTTL', key)
  if t < 0 then t = 1000 end
  return t
end
-- include window-sum
-- A retried create with the same Idempotency-Key returns the first verification and sends nothing.
if KEYS[8] ~= '' then
  local seen = redis.call('GET', KEYS[8])
  if seen then return {'idempotent', seen} end
end
if redis.call('EXISTS', KEYS[7]) == 1 then return {'phone_locked', retry(KEYS[7])} end
local send = ARGV[10] == 'send'
local mode = ARGV[11]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bucketMs = tonumber(ARGV[12])
local buckets = tonumber(ARGV[13])
local bucket = math.floor(now / bucketMs)
local country, prefix = ARGV[17], ARGV[18]
-- Test numbers are never delivered or billed, so no send limit or conversion statistic applies to them.
if send then
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
  -- SMS pumping walks through a range of numbers: cap sends per number prefix.
  if tonumber(redis.call('GET', KEYS[9]) or '0') >= tonumber(ARGV[8]) then
    return {'rate_limited_prefix', retry(KEYS[9])}
  end
  if mode ~= 'off' then
    if mode == 'block' and redis.call('EXISTS', KEYS[10]) == 1 then
      return {'rate_limited_fraud_prefix', retry(KEYS[10])}
    end
    local sent = window_sum('otp:fw:s:' .. prefix .. ':', bucket, buckets)
    if sent >= tonumber(ARGV[14]) then
      local approved = window_sum('otp:fw:a:' .. prefix .. ':', bucket, buckets)
      if approved * 1000 < sent * tonumber(ARGV[15]) then
        local blockMs = tonumber(ARGV[16])
        local info = country .. '|' .. sent .. '|' .. approved .. '|' .. now
        if mode == 'block' then
          redis.call('SET', KEYS[10], info, 'PX', blockMs)
          redis.call('ZADD', 'otp:fw:blocked', now + blockMs, prefix)
          return {'rate_limited_fraud_prefix', blockMs, 'new'}
        end
        if redis.call('SET', 'otp:fw:flag:' .. prefix, info, 'PX', blockMs, 'NX') then
          redis.call('ZADD', 'otp:fw:flagged', now + blockMs, prefix)
        end
      end
    end
  end
  if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[3], '1', 'PX', ARGV[3]) end
  if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], 900000) end
  if redis.call('INCR', KEYS[5]) == 1 then redis.call('PEXPIRE', KEYS[5], 86400000) end
  if KEYS[6] ~= '' and redis.call('INCR', KEYS[6]) == 1 then redis.call('PEXPIRE', KEYS[6], 3600000) end
  if redis.call('INCR', KEYS[9]) == 1 then redis.call('PEXPIRE', KEYS[9], 3600000) end
  if mode ~= 'off' then
    local keep = bucketMs * (buckets + 1)
    for _, k in ipairs({'otp:fw:s:' .. prefix .. ':' .. bucket, 'otp:fw:cs:' .. country .. ':' .. bucket}) do
      if redis.call('INCR', k) == 1 then redis.call('PEXPIRE', k, keep) end
    end
    redis.call('ZADD', 'otp:fw:active', now, prefix)
    redis.call('ZADD', 'otp:fw:countries', now, country)
    redis.call('ZREMRANGEBYSCORE', 'otp:fw:active', '-inf', now - bucketMs * buckets)
    redis.call('ZREMRANGEBYSCORE', 'otp:fw:countries', '-inf', now - bucketMs * buckets)
  end
end
local prev = redis.call('GET', KEYS[2])
if prev and redis.call('HGET', 'otp:v:' .. prev, 'status') == 'pending' then
  redis.call('HSET', 'otp:v:' .. prev, 'status', 'canceled')
end
redis.call('HSET', KEYS[1], unpack(ARGV, 19))
redis.call('HSET', KEYS[1], 'expires_ms', now + tonumber(ARGV[2]))
if send and mode ~= 'off' then redis.call('HSET', KEYS[1], 'sent_bucket', bucket) end
if KEYS[8] ~= '' then redis.call('SET', KEYS[8], ARGV[1] .. '|' .. ARGV[7], 'PX', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[9]))
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {'ok', prev or ''}
