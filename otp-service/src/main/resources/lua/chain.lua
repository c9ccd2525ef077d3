-- Runs parts of lib/parts.lua, each on its own slice of KEYS and ARGV. On a standalone Redis one call runs them all
-- atomically; on Redis Cluster each part's keys share one slot and the caller runs one part per call.
-- ARGV 1 'run' (every check, then every apply; the first refusal is the answer and nothing is written but what
--      that check wrote) or 'undo' (every part's undo)
--      2 n parts, then per part: name, key count, arg count; then the parts' arguments in order.
-- Answers a refusal, or {'ok', apply answer of each part} ('undo': {'ok'}).
-- include window
-- include parts
local op, n = ARGV[1], tonumber(ARGV[2])
local plan, ki, ai = {}, 0, 2 + 3 * n
for i = 1, n do
  local name, kn, an = ARGV[3 * i], tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  local k, a = {}, {}
  for j = 1, kn do k[j] = KEYS[ki + j] end
  for j = 1, an do a[j] = ARGV[ai + j] end
  ki, ai = ki + kn, ai + an
  plan[i] = {P[name], k, a}
end
local ctx = {}
if op == 'undo' then
  for i = 1, n do plan[i][1].undo(plan[i][2], plan[i][3], ctx) end
  return {'ok'}
end
for i = 1, n do
  local refused = plan[i][1].check(plan[i][2], plan[i][3], ctx)
  if refused then return refused end
end
local out = {'ok'}
for i = 1, n do out[#out + 1] = plan[i][1].apply(plan[i][2], plan[i][3], ctx) end
return out
