-- A student's place on a class's list and the list's Last-Modified, in one round trip.
-- KEYS: 1 the class's list, 2 the list's Last-Modified
-- ARGV: 1 student id
-- Returns {position (0 when not on the list), length, Last-Modified second}.
local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
return {rank and rank + 1 or 0, redis.call('ZCARD', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
