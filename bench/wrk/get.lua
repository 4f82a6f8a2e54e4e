-- GET the path given as the first script argument, as one student (the token in the BENCH_TOKEN variable);
-- with BENCH_IF_NONE_MATCH set, as a client revalidating its cached copy.
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local tag = os.getenv("BENCH_IF_NONE_MATCH")
if tag and tag ~= "" then headers["If-None-Match"] = tag end

function init(args)
  path = args[1]
end

function request()
  return wrk.format("GET", path, headers)
end
