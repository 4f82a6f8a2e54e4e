-- Each connection is one student (its own thread, token from the file named by BENCH_TOKENS) who enrolls in
-- the class given as the first argument and drops it again, over and over: one pair = two requests. The next
-- request follows the answer (a seat taken or already held → drop it; dropped, or not enrolled → enroll), so a
-- refused request is tried again rather than followed by one that must fail too; and wrk's own call of request() as
-- it starts (to check the request it makes, never sent) changes nothing.
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
  statuses = ""
end

function request()
  return wrk.format(enrolled and "DELETE" or "POST", path, { ["Authorization"] = "Bearer " .. token })
end

function response(status, headers, body)
  if status == 201 then
    enrolled = true
  elseif status == 200 then
    enrolled = false
  else
    failures = failures + 1
    statuses = statuses .. " " .. status
    if status == 404 then
      enrolled = false
    elseif status == 409 and body and string.find(body, "already-enrolled", 1, true) then
      enrolled = true
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  local counts = {}
  for _, thread in ipairs(threads) do
    total = total + thread:get("failures")
    for status in string.gmatch(thread:get("statuses"), "%d+") do counts[status] = (counts[status] or 0) + 1 end
  end
  local which = {}
  for status, count in pairs(counts) do table.insert(which, count .. " × " .. status) end
  table.sort(which)
  io.write(string.format("pairs/s: %.0f   unexpected answers: %d%s\n",
    summary.requests / 2 / (summary.duration / 1e6), total,
    #which > 0 and " (" .. table.concat(which, ", ") .. ")" or ""))
end
