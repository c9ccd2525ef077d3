-- Lifts a block or flag on a prefix and forgets its sends in the window, so it is judged afresh.
-- KEYS: 1 prefix block. ARGV: 1 prefix, 2 bucket ms, 3 buckets. Returns 1 when there was a block or flag.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bucket = math.floor(now / tonumber(ARGV[2]))
local found = redis.call('DEL', KEYS[1], 'otp:fw:flag:' .. ARGV[1])
redis.call('ZREM', 'otp:fw:blocked', ARGV[1])
redis.call('ZREM', 'otp:fw:flagged', ARGV[1])
for i = 0, tonumber(ARGV[3]) do redis.call('DEL', 'otp:fw:s:' .. ARGV[1] .. ':' .. (bucket - i)) end
if found > 0 then return 1 end
return 0
