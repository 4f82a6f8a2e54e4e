-- A student's place on a class's list and the list's Last-Modified, in one round trip.
-- KEYS: 1 the class's list, 2 the list's Last-Modified, 3 its seen flag (lib.lua)
-- ARGV: 1 student id, 2 now (ms)
-- Returns {position (0 when not on the list), length, the stored Last-Modified second, the second to send}.
local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
if not rank then return {0, redis.call('ZCARD', KEYS[1]), 0, 0} end
local answer = modified_for_reader(tonumber(redis.call('GET', KEYS[2]) or '0'), KEYS[3], ARGV[2])
return {rank + 1, redis.call('ZCARD', KEYS[1]), answer[1], answer[2]}
