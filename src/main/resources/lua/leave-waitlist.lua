-- Takes a student off a class's waiting list (and forgets the swap they waited for, if any).
-- KEYS: 1 the class's list, 2 the student's lists, 3 the classes that have a list, 4 the class's swaps
--       5-11 the conditional-GET bookkeeping (see lib.lua)
-- ARGV: 1 student id, 2 class id, 3 now (ms)
-- Returns 1 when the student was on the list, 0 otherwise.
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 then
  redis.call('SREM', KEYS[2], ARGV[2])
  redis.call('HDEL', KEYS[4], ARGV[1])
  if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
  waitlist_changed(5, ARGV[3])
end
return removed
