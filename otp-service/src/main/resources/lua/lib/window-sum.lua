-- A sliding window kept as one counter per time bucket (key base .. bucket number): the sum over the n buckets
-- ending at `bucket`. Shared by create.lua and fraud-view.lua through `-- include window-sum`.
local function window_sum(base, bucket, n)
  local ks = {}
  for i = 0, n - 1 do ks[#ks + 1] = base .. (bucket - i) end
  local total = 0
  for _, v in ipairs(redis.call('MGET', unpack(ks))) do
    if v then total = total + tonumber(v) end
  end
  return total
end
