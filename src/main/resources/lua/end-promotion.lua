-- Ends an in-flight promotion: committed (the student is enrolled), restored to the head of the list, or discarded
-- (its class was removed: nothing to enroll in, no list to return to). A restored student keeps the swap they wait
-- for; otherwise it is forgotten.
-- KEYS: 1 the class's in-flight promotions, 2 the classes with in-flight promotions, 3 the class's list,
--       4 the student's lists, 5 the classes that have a list, 6 the class's swaps,
--       7-13 the conditional-GET bookkeeping (lib.lua)
-- ARGV: 1 student id, 2 class id, 3 "commit", "restore" or "discard", 4 now (ms)
-- Returns 1 when this call ended the promotion, 0 when another instance already had.
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if not entry then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
if ARGV[3] == 'restore' then
  local arrival = string.match(entry, '^([^:]+)')
  redis.call('ZADD', KEYS[3], arrival, ARGV[1])
  redis.call('SADD', KEYS[4], ARGV[2])
  redis.call('SADD', KEYS[5], ARGV[2])
  waitlist_changed(7, ARGV[4])
else
  redis.call('HDEL', KEYS[6], ARGV[1])
end
return 1
