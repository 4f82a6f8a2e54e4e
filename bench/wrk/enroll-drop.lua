-- Each connection is one student (its own thread, token from the file named by BENCH_TOKENS) who enrolls in
-- the class given as the first argument and drops it again, over and over: one pair = two requests.
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  local file = io.open(os.getenv("BENCH_TOKENS"))
  local index = 0
  for line in file:lines() do
    index = index + 1
    if index == counter then thread:set("token", line) end
  end
  file:close()
  table.insert(threads, thread)
end

function init(args)
  path = "/student/enrollments/" .. args[1]
  enrolled = false
  failures = 0
end

function request()
  local method = enrolled and "DELETE" or "POST"
  enrolled = not enrolled
  return wrk.format(method, path, { ["Authorization"] = "Bearer " .. token })
end

function response(status, headers, body)
  if status ~= 200 and status ~= 201 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("failures") end
  io.write(string.format("pairs/s: %.0f   unexpected answers: %d\n",
    summary.requests / 2 / (summary.duration / 1e6), total))
end
