-- The conversion watch as the admin view shows it: blocked and flagged prefixes with why, prefixes with traffic
-- worth watching, and every country with sends in the window. Read-only apart from dropping lapsed index entries.
-- ARGV: 1 bucket ms, 2 buckets, 3 sends from which an active prefix is listed as watched, 4 most entries per list
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bucketMs, buckets, threshold, most = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local bucket = math.floor(now / bucketMs)
-- include window-sum
local function sum(base)
  return window_sum(base, bucket, buckets)
end
local function marked(index, prefixKey)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  local out = {}
  for _, p in ipairs(redis.call('ZRANGEBYSCORE', index, now, '+inf', 'LIMIT', 0, most)) do
    local info = redis.call('GET', prefixKey .. p)
    if info then
      out[#out + 1] = {p, info, redis.call('PTTL', prefixKey .. p), sum('otp:fw:s:' .. p .. ':'),
        sum('otp:fw:a:' .. p .. ':')}
    end
  end
  return out
end
local watched = {}
for _, p in ipairs(redis.call('ZREVRANGEBYSCORE', 'otp:fw:active', '+inf', now - bucketMs * buckets,
    'LIMIT', 0, 1000)) do
  local sent = sum('otp:fw:s:' .. p .. ':')
  if sent >= threshold then watched[#watched + 1] = {p, sent, sum('otp:fw:a:' .. p .. ':')} end
end
local countries = {}
for _, c in ipairs(redis.call('ZRANGEBYSCORE', 'otp:fw:countries', now - bucketMs * buckets, '+inf')) do
  countries[#countries + 1] = {c, sum('otp:fw:cs:' .. c .. ':'), sum('otp:fw:ca:' .. c .. ':')}
end
return {marked('otp:fw:blocked', 'otp:fw:block:'), marked('otp:fw:flagged', 'otp:fw:flag:'), watched, countries}
