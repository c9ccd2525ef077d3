-- The conversion watch as the admin view shows it: blocked and flagged prefixes with why, prefixes with traffic
-- worth watching, and every country with sends in the window. Read-only apart from dropping lapsed index entries.
-- Every key is under the {otp:fw} tag, so the view is one call on one slot.
-- KEYS: 1 blocked, 2 flagged, 3 marks, 4 active prefixes, 5 countries, 6..17 the ring (see lib/ring.lua)
-- ARGV: 1 bucket ms, 2 sends from which an active prefix is listed as watched, 3 most entries per list
-- include ring
local now = now_ms()
local bucketMs, threshold, most = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local bucket = math.floor(now / bucketMs)
local ring = {}
for i = 6, #KEYS do ring[#ring + 1] = KEYS[i] end
local since = now - bucketMs * #ring
local function sum(field)
  return ring_sum(ring, field, bucket)
end
local function marked(index, kind)
  local gone = redis.call('ZRANGEBYSCORE', index, '-inf', now)
  for _, p in ipairs(gone) do redis.call('HDEL', KEYS[3], kind .. p) end
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  local out = {}
  for _, p in ipairs(redis.call('ZRANGEBYSCORE', index, now, '+inf', 'WITHSCORES', 'LIMIT', 0, most)) do
    out[#out + 1] = p
  end
  local list = {}
  for i = 1, #out, 2 do
    local p = out[i]
    local info = redis.call('HGET', KEYS[3], kind .. p)
    if info then
      list[#list + 1] = {p, info, math.floor(tonumber(out[i + 1]) - now), sum('s:' .. p), sum('a:' .. p)}
    end
  end
  return list
end
local watched = {}
for _, p in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[4], '+inf', since, 'LIMIT', 0, 1000)) do
  local sent = sum('s:' .. p)
  if sent >= threshold then watched[#watched + 1] = {p, sent, sum('a:' .. p)} end
end
local countries = {}
for _, c in ipairs(redis.call('ZRANGEBYSCORE', KEYS[5], since, '+inf')) do
  countries[#countries + 1] = {c, sum('cs:' .. c), sum('ca:' .. c)}
end
return {marked(KEYS[1], 'b:'), marked(KEYS[2], 'f:'), watched, countries}
