-- wrk script: creates login codes at otp-service for distinct phones (the stack runs with OTP_EXPOSE_CODE=true) and
-- keeps "phone code" lines in $LOGIN_BENCH_PAIRS/pairs-<thread> for login.lua.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("OTP_KEY") or "local-otp-key")
local threads, out = 0, nil
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + tid)
  -- Phones in sequence from a random start: a phone drawn twice in one run would have its first code replaced by
  -- the second (a new code supersedes the open one), and that login would fail.
  serial = math.random(0, 999999)
  out = io.open(os.getenv("LOGIN_BENCH_PAIRS") .. "/pairs-" .. tid, "w")
end
local phones = {}
request = function()
  serial = (serial + 1) % 1000000
  local phone = string.format("+44741%d%06d", tid, serial)
  return wrk.format(nil, nil, nil, '{"phone":"' .. phone .. '","purpose":"login"}')
end
response = function(status, headers, body)
  if status == 201 then
    local phone, code = body:match('"phone":"([^"]+)"'), body:match('"debug_code":"([^"]+)"')
    if phone and code and not phones[phone] then
      phones[phone] = true
      out:write(phone, " ", code, "\n")
    end
  end
end
