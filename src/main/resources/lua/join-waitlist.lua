-- Puts a student at the end of a class's waiting list, keeping docs/api.md's limits in one atomic step.
-- KEYS: 1 the class's list (zset student -> arrival), 2 the student's lists (set of class ids),
--       3 the arrival sequence, 4 the classes that have a list, 5 student names, 6 the class's swaps
--       7-13 the conditional-GET bookkeeping (see lib.lua)
-- ARGV: 1 student id, 2 class id, 3 max students per list, 4 max lists per student, 5 student name, 6 now (ms),
--       7 the class the student drops when they take this one (a swap), or '' for none
-- Returns the 1-based position, or -1 already waitlisted, -2 list full, -3 student on too many lists.
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return -2 end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then return -3 end
redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[3]), ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('HSET', KEYS[5], ARGV[1], ARGV[5])
if ARGV[7] ~= '' then redis.call('HSET', KEYS[6], ARGV[1], ARGV[7]) end
waitlist_changed(7, ARGV[6])
return redis.call('ZRANK', KEYS[1], ARGV[1]) + 1
