-- Removes a subscription and its two index entries, in one step.
-- KEYS: 1 the subscription hash, 2 the student's subscribed classes, 3 the class's subscribed students
-- ARGV: 1 student id, 2 class id
-- Returns 1 when there was a subscription, 0 otherwise.
local existed = redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
redis.call('SREM', KEYS[3], ARGV[1])
return existed
