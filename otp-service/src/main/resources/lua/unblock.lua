-- Lifts a block or flag on a prefix and forgets its sends in the window, so it is judged afresh.
-- KEYS: 1 blocked, 2 flagged, 3 marks, 4 the prefix's window (all under {fw}). ARGV: 1 prefix.
-- Returns 1 when there was a block or flag.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local p = ARGV[1]
local found = 0
for _, index in ipairs({KEYS[1], KEYS[2]}) do
  if tonumber(redis.call('ZSCORE', index, p) or '0') > now then found = 1 end
  redis.call('ZREM', index, p)
end
redis.call('HDEL', KEYS[3], 'b:' .. p, 'f:' .. p)
for _, f in ipairs(redis.call('HKEYS', KEYS[4])) do
  if string.sub(f, 1, 1) == 's' then redis.call('HDEL', KEYS[4], f) end
end
return found
