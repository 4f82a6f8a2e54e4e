-- GET the path given as the first script argument, as one student (the token in the BENCH_TOKEN variable).
local token = os.getenv("BENCH_TOKEN")

function init(args)
  path = args[1]
end

function request()
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
