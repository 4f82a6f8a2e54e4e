-- The validators of a class's whole list (the instructor's view), in one round trip.
-- KEYS: 1 the list's version, 2 the list's Last-Modified, 3 its seen flag (lib.lua)
-- ARGV: 1 now (ms)
-- Returns {version, the stored Last-Modified second, the second to send}.
local answer = modified_for_reader(tonumber(redis.call('GET', KEYS[2]) or '0'), KEYS[3], ARGV[1])
return {tonumber(redis.call('GET', KEYS[1]) or '0'), answer[1], answer[2]}
