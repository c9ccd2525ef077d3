-- The parts of the operations that span hash slots. Each part's keys share one slot; chain.lua runs several parts in
-- one call (standalone Redis: the checks of all, then the applies of all, atomically) or one part per call (Redis
-- Cluster: VerificationStore runs them in order and undoes the applied ones when a later one refuses). check answers
-- nil to go on or a refusal; apply writes and answers a string; undo takes an apply back.
local P = {}
local function retry(key)
  local t = redis.call('PTTL', key)
  if t < 0 then t = 1000 end
  return t
end
local function int(v)
  return tonumber(v or '0')
end

-- idem: KEYS 1 idempotency key. ARGV 1 id|fingerprint, 2 ttl ms (undo: 1 id).
-- A retried create with the same Idempotency-Key returns the first verification and sends nothing.
P['idem'] = {
  check = function(K, A)
    local seen = redis.call('GET', K[1])
    if seen then return {'idempotent', seen} end
  end,
  apply = function(K, A)
    redis.call('SET', K[1], A[1], 'PX', A[2])
    return ''
  end,
  undo = function(K, A)
    local v = redis.call('GET', K[1])
    if v and string.sub(v, 1, #A[1] + 1) == A[1] .. '|' then redis.call('DEL', K[1]) end
  end
}

-- phone: the per-phone limits, the new verification, and the retirement of the pending code it replaces.
-- KEYS 1 verification, 2 phone+purpose pointer, 3 gap, 4 15-minute count, 5 24-hour count, 6 phone lock,
--      7 the replaced verification (only when ARGV 9 names one)
-- ARGV 1 id, 2 code life ms, 3 gap ms, 4 limit 15m, 5 limit 24h, 6 retention ms, 7 'test' or 'send',
--      8 '1' when the conversion watch counts the send, 9 the id the pointer is believed to hold (or ''), 10.. fields
-- The replaced verification is a key, so it must be declared: when the pointer holds another id than ARGV 9, check
-- answers {'retry', id} and the caller runs again naming it (only a resend while a code is pending pays for that).
-- undo ARGV: 1 new id, 2 replaced id (or ''); KEYS as for run, 7 the replaced verification (if any).
P['phone'] = {
  check = function(K, A, ctx)
    if redis.call('EXISTS', K[6]) == 1 then return {'phone_locked', retry(K[6])} end
    -- Test numbers are never delivered or billed, so no send limit applies to them.
    if A[7] == 'send' then
      if redis.call('EXISTS', K[3]) == 1 then return {'rate_limited_phone_gap', retry(K[3])} end
      if int(redis.call('GET', K[4])) >= tonumber(A[4]) then return {'rate_limited_phone_15m', retry(K[4])} end
      if int(redis.call('GET', K[5])) >= tonumber(A[5]) then return {'rate_limited_phone_24h', retry(K[5])} end
    end
    local prev = redis.call('GET', K[2])
    if prev and prev ~= A[9] then return {'retry', prev} end
    ctx.prev = prev
  end,
  apply = function(K, A, ctx)
    local now = now_ms()
    if A[7] == 'send' then
      if tonumber(A[3]) > 0 then redis.call('SET', K[3], '1', 'PX', A[3]) end
      if redis.call('INCR', K[4]) == 1 then redis.call('PEXPIRE', K[4], 900000) end
      if redis.call('INCR', K[5]) == 1 then redis.call('PEXPIRE', K[5], 86400000) end
    end
    if ctx.prev and K[7] and redis.call('HGET', K[7], 'status') == 'pending' then
      redis.call('HSET', K[7], 'status', 'canceled')
    end
    redis.call('HSET', K[1], unpack(A, 10))
    redis.call('HSET', K[1], 'expires_ms', now + tonumber(A[2]))
    if A[7] == 'send' and A[8] == '1' then redis.call('HSET', K[1], 'watched', '1') end
    redis.call('PEXPIRE', K[1], tonumber(A[2]) + tonumber(A[6]))
    redis.call('SET', K[2], A[1], 'PX', A[2])
    return ctx.prev or ''
  end,
  -- A create whose event could not be published, or that a later part refused: nothing was sent, so the user keeps
  -- the code they had and is not charged a send.
  undo = function(K, A)
    local send = redis.call('HGET', K[1], 'test') ~= '1'
    redis.call('DEL', K[1])
    if send then
      redis.call('DEL', K[3])
      for _, k in ipairs({K[4], K[5]}) do
        if int(redis.call('GET', k)) > 0 then redis.call('DECR', k) end
      end
    end
    -- Only while the pointer still names the undone code: a newer code may have replaced both meanwhile.
    if redis.call('GET', K[2]) ~= A[1] then return end
    if A[2] ~= '' and K[7] and redis.call('HGET', K[7], 'status') == 'canceled' then
      local left = int(redis.call('HGET', K[7], 'expires_ms')) - now_ms()
      if left > 0 then
        redis.call('HSET', K[7], 'status', 'pending')
        redis.call('SET', K[2], A[2], 'PX', left)
        return
      end
    end
    redis.call('DEL', K[2])
  end
}

-- ip: KEYS 1 the client IP's 1-hour count. ARGV 1 limit.
P['ip'] = {
  check = function(K, A)
    if int(redis.call('GET', K[1])) >= tonumber(A[1]) then return {'rate_limited_ip', retry(K[1])} end
  end,
  apply = function(K, A)
    if redis.call('INCR', K[1]) == 1 then redis.call('PEXPIRE', K[1], 3600000) end
    return ''
  end,
  undo = function(K, A)
    if int(redis.call('GET', K[1])) > 0 then redis.call('DECR', K[1]) end
  end
}

-- watch: the number-prefix limit and the conversion watch, all under the {otp:fw} tag.
-- KEYS 1 prefix 1-hour count, 2 blocked (zset prefix -> until), 3 flagged (zset), 4 marks (hash b:<prefix> and
--      f:<prefix> -> why), 5 active prefixes (zset -> last send), 6 countries (zset), 7 the prefix's window,
--      8 the country's window (lib/window.lua)
-- ARGV 1 limit prefix, 2 mode (block|monitor|off), 3 bucket ms, 4 min sends, 5 min conversion per mille, 6 block ms,
--      7 country, 8 prefix, 9 buckets. apply answers the bucket it counted ('' when off).
-- undo ARGV: the run's, 4 replaced by the bucket apply answered.
P['watch'] = {
  check = function(K, A, ctx)
    -- SMS pumping walks through a range of numbers: cap sends per number prefix.
    if int(redis.call('GET', K[1])) >= tonumber(A[1]) then return {'rate_limited_prefix', retry(K[1])} end
    local mode = A[2]
    if mode == 'off' then return end
    local now = now_ms()
    local bucket = math.floor(now / tonumber(A[3]))
    local country, prefix = A[7], A[8]
    ctx.wnow, ctx.wbucket = now, bucket
    if mode == 'block' then
      local until_ms = redis.call('ZSCORE', K[2], prefix)
      if until_ms and tonumber(until_ms) > now then return {'rate_limited_fraud_prefix', tonumber(until_ms) - now} end
      if until_ms then
        -- A lapsed block leaves the index and its reason (the admin view sweeps the ones nobody asks for again).
        redis.call('ZREM', K[2], prefix)
        redis.call('HDEL', K[4], 'b:' .. prefix)
      end
    end
    local sent, approved = window_sums(K[7], bucket, tonumber(A[9]))
    if sent >= tonumber(A[4]) and approved * 1000 < sent * tonumber(A[5]) then
      local blockMs = tonumber(A[6])
      local info = country .. '|' .. sent .. '|' .. approved .. '|' .. now
      if mode == 'block' then
        redis.call('ZADD', K[2], now + blockMs, prefix)
        redis.call('HSET', K[4], 'b:' .. prefix, info)
        return {'rate_limited_fraud_prefix', blockMs, 'new'}
      end
      if int(redis.call('ZSCORE', K[3], prefix)) <= now then
        redis.call('ZADD', K[3], now + blockMs, prefix)
        redis.call('HSET', K[4], 'f:' .. prefix, info)
      end
    end
  end,
  apply = function(K, A, ctx)
    if redis.call('INCR', K[1]) == 1 then redis.call('PEXPIRE', K[1], 3600000) end
    if A[2] == 'off' then return '' end
    local now, bucket, bucketMs, n = ctx.wnow, ctx.wbucket, tonumber(A[3]), tonumber(A[9])
    window_incr(K[7], 's', bucket, bucketMs, n)
    window_incr(K[8], 's', bucket, bucketMs, n)
    local since = now - bucketMs * n
    redis.call('ZADD', K[5], now, A[8])
    redis.call('ZADD', K[6], now, A[7])
    redis.call('ZREMRANGEBYSCORE', K[5], '-inf', since)
    redis.call('ZREMRANGEBYSCORE', K[6], '-inf', since)
    return tostring(bucket)
  end,
  undo = function(K, A)
    if int(redis.call('GET', K[1])) > 0 then redis.call('DECR', K[1]) end
    if A[4] ~= '' then
      window_decr(K[7], 's', tonumber(A[4]))
      window_decr(K[8], 's', tonumber(A[4]))
    end
  end
}

-- approve: consumes a verification exactly once: only the caller that moves it from pending to approved wins.
-- KEYS 1 verification, 2 phone+purpose pointer, 3 failure count, 4 lock count. ARGV 1 verified_at, 2 bucket ms,
-- 3 '1' when the watch is on. apply answers the approval's bucket ('' when the watch does not count it).
P['approve'] = {
  check = function(K, A, ctx)
    local v = redis.call('HMGET', K[1], 'status', 'id', 'expires_ms')
    if v[1] ~= 'pending' then return {'gone'} end
    ctx.now = now_ms()
    if ctx.now >= int(v[3]) then return {'gone'} end
    ctx.id = v[2]
  end,
  apply = function(K, A, ctx)
    redis.call('HSET', K[1], 'status', 'approved', 'verified_at', A[1])
    if redis.call('GET', K[2]) == ctx.id then redis.call('DEL', K[2]) end
    redis.call('DEL', K[3], K[4])
    if A[3] ~= '1' or redis.call('HGET', K[1], 'watched') ~= '1' then return '' end
    ctx.bucket = tostring(math.floor(ctx.now / tonumber(A[2])))
    redis.call('HSET', K[1], 'approved_bucket', ctx.bucket)
    return ctx.bucket
  end
}

-- revert: undoes an approval whose otp.verified event could not be published, so the user can try the same code
-- again. KEYS 1 verification, 2 phone+purpose pointer. apply answers the approval's bucket (or '').
P['revert'] = {
  check = function(K, A, ctx)
    local v = redis.call('HMGET', K[1], 'status', 'id', 'expires_ms', 'approved_bucket')
    if v[1] ~= 'approved' then return {'gone'} end
    local current = redis.call('GET', K[2])
    -- A newer code replaced this one meanwhile: reviving it would leave two live codes for one phone.
    if current and current ~= v[2] then return {'gone'} end
    ctx.v = v
  end,
  apply = function(K, A, ctx)
    local v = ctx.v
    redis.call('HSET', K[1], 'status', 'pending')
    redis.call('HDEL', K[1], 'verified_at', 'approved_bucket')
    local left = int(v[3]) - now_ms()
    if left > 0 then redis.call('SET', K[2], v[2], 'PX', left, 'NX') end
    ctx.bucket = v[4]
    return v[4] or ''
  end
}

-- approval: an approval counted for the conversion watch of the number's prefix and country ('add'), or taken back
-- after a revert ('sub'). KEYS 1 the prefix's window, 2 the country's. ARGV 1 'add' or 'sub', 2 bucket ms, 3 buckets,
-- 4 the bucket ('' for the one an earlier part of the same call answered; nothing is counted when there is none).
P['approval'] = {
  check = function() end,
  apply = function(K, A, ctx)
    local bucket = A[4] ~= '' and A[4] or ctx.bucket
    if not bucket or bucket == '' then return '' end
    for _, k in ipairs({K[1], K[2]}) do
      if A[1] == 'add' then window_incr(k, 'a', tonumber(bucket), tonumber(A[2]), tonumber(A[3]))
      else window_decr(k, 'a', tonumber(bucket)) end
    end
    return ''
  end
}
