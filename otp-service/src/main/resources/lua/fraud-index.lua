-- The first half of the admin view: which prefixes and countries it covers. Drops lapsed blocks and flags (with their
-- reasons) and answers the blocked and flagged prefixes (at most ARGV 3 each), the active prefixes (at most 1000, the
-- latest first) and the countries with sends in the window; fraud-view.lua then reads their windows, declared.
-- KEYS: 1 blocked, 2 flagged, 3 marks, 4 active prefixes, 5 countries (all under {fw})
-- ARGV: 1 bucket ms, 2 buckets, 3 most entries per list
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local since = now - tonumber(ARGV[1]) * tonumber(ARGV[2])
local lists = {}
for i, kind in ipairs({'b:', 'f:'}) do
  for _, p in ipairs(redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', now)) do redis.call('HDEL', KEYS[3], kind .. p) end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  lists[i] = redis.call('ZRANGEBYSCORE', KEYS[i], now, '+inf', 'LIMIT', 0, ARGV[3])
end
lists[3] = redis.call('ZREVRANGEBYSCORE', KEYS[4], '+inf', since, 'LIMIT', 0, 1000)
lists[4] = redis.call('ZRANGEBYSCORE', KEYS[5], since, '+inf')
return lists
