-- The conversion watch as the admin view shows it: blocked and flagged prefixes with why, prefixes with traffic
-- worth watching, and every country with sends in the window; the prefixes and countries are those fraud-index.lua
-- answered, so every window read here is a declared key. Read-only.
-- KEYS: 1 blocked, 2 flagged, 3 marks, then the window of each listed prefix and country, in the order of ARGV
-- ARGV: 1 bucket ms, 2 buckets, 3 sends from which an active prefix is listed as watched, 4-7 how many blocked,
--       flagged, active prefixes and countries follow, 8.. their names in that order
-- include window
local now = now_ms()
local n = tonumber(ARGV[2])
local bucket = math.floor(now / tonumber(ARGV[1]))
local threshold = tonumber(ARGV[3])
local next_arg, next_key = 8, 4
local function each(count, f)
  for _ = 1, tonumber(count) do
    f(ARGV[next_arg], KEYS[next_key])
    next_arg, next_key = next_arg + 1, next_key + 1
  end
end
local function marked(index, kind, count)
  local out = {}
  each(count, function(p, window)
    local info = redis.call('HGET', KEYS[3], kind .. p)
    local until_ms = redis.call('ZSCORE', index, p)
    if info and until_ms then
      local sent, approved = window_sums(window, bucket, n)
      out[#out + 1] = {p, info, math.floor(tonumber(until_ms) - now), sent, approved}
    end
  end)
  return out
end
local blocked = marked(KEYS[1], 'b:', ARGV[4])
local flagged = marked(KEYS[2], 'f:', ARGV[5])
local watched = {}
each(ARGV[6], function(p, window)
  local sent, approved = window_sums(window, bucket, n)
  if sent >= threshold then watched[#watched + 1] = {p, sent, approved} end
end)
local countries = {}
each(ARGV[7], function(c, window)
  local sent, approved = window_sums(window, bucket, n)
  countries[#countries + 1] = {c, sent, approved}
end)
return {blocked, flagged, watched, countries}
