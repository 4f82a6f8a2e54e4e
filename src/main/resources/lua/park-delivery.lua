-- Parks a delivery this instance turned away (its target does not answer quickly and has an attempt in
-- flight): it waits in the target's parking, not in the schedule, until an attempt to that target ends
-- and lets it out; the schedule still has it, one safety delay later, in case no attempt ever ends (an instance
-- died with it).
-- KEYS: 1 the retry schedule (zset), 2 the target's parking (zset delivery id -> parked at ms)
-- ARGV: 1 delivery id, 2 now (ms), 3 the safety delay (ms), 4 how long an untouched parking is kept (s)
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
redis.call('ZADD', KEYS[2], tonumber(ARGV[2]), ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[4])
