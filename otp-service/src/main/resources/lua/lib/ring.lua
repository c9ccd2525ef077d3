-- The conversion watch's sliding window: 12 hashes {otp:fw}:w:0..11 (passed in KEYS in that order as `ring`); bucket
-- b is kept in hash b % 12 with its number in field `_b`, so the keys are fixed and declared whatever the time.
-- Fields: s:<prefix> and a:<prefix> (sent, approved), cs:<country> and ca:<country>. A hash still holding an older
-- bucket counts for nothing and is emptied when its turn comes again.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function ring_key(ring, bucket)
  return ring[(bucket % #ring) + 1]
end
-- The sum of a field over the #ring buckets ending at `bucket`.
local function ring_sum(ring, field, bucket)
  local total = 0
  for i = 0, #ring - 1 do
    local v = redis.call('HMGET', ring_key(ring, bucket - i), '_b', field)
    if v[1] == tostring(bucket - i) and v[2] then total = total + tonumber(v[2]) end
  end
  return total
end
-- Adds 1 to fields of `bucket`, starting its hash afresh when it held an older bucket.
local function ring_incr(ring, bucket, bucketMs, fields)
  local k = ring_key(ring, bucket)
  if redis.call('HGET', k, '_b') ~= tostring(bucket) then
    redis.call('UNLINK', k)
    redis.call('HSET', k, '_b', bucket)
    redis.call('PEXPIRE', k, bucketMs * (#ring + 1))
  end
  for _, f in ipairs(fields) do redis.call('HINCRBY', k, f, 1) end
end
-- Takes 1 back from fields of `bucket` (a send or approval undone), if that bucket is still kept.
local function ring_decr(ring, bucket, fields)
  local k = ring_key(ring, bucket)
  if redis.call('HGET', k, '_b') ~= tostring(bucket) then return end
  for _, f in ipairs(fields) do
    if tonumber(redis.call('HGET', k, f) or '0') > 0 then redis.call('HINCRBY', k, f, -1) end
  end
end
