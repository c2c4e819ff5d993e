-- wrk script for `POST /api/exercises/{id}/submissions` (server/bench/load.sh writes the
-- answer and cookie into `answer.lua` next to a copy of this file and loads both).
--
-- Every request's body is the answer plus a unique YAML comment (`# wrk T-N`), so a server
-- that memoizes reports by body cannot answer from its cache: each request really grades.
-- Set `SAME_BODY=1` in the environment to send the identical answer every time instead.
-- Each response must be 200 with `"status":"pass"`; `done` prints how many were not, since
-- wrk itself only counts non-2xx statuses.
package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or ".") .. "/?.lua"
local answer = require("answer")

local same_body = os.getenv("SAME_BODY") == "1"
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

local counter = 0
-- A global, so `done` can read it from each thread with `thread:get`.
not_passed = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/yaml"
  wrk.headers["Cookie"] = answer.cookie
end

function request()
  counter = counter + 1
  local body = answer.body
  if not same_body then
    body = body .. "# wrk " .. id .. "-" .. counter .. "\n"
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"status":"pass"', 1, true) then
    not_passed = not_passed + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("not_passed") or 0)
  end
  io.write(string.format("responses not 200 with status pass: %d\n", total))
end
