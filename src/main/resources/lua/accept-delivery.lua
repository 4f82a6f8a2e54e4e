-- Takes a delivery in from its queue: it becomes pending, with the retry schedule as its safety net (if no
-- attempt ends within a lease, for instance because this instance died, the schedule attempts it), unless it
-- already succeeded or is already pending (the broker delivered the message twice, or the outbox published it
-- twice): then the schedule, or nobody, attempts it.
-- KEYS: 1 the delivered marker, 2 the pending deliveries (hash), 3 the retry schedule (zset)
-- ARGV: 1 delivery id, 2 the delivery as JSON, 3 lease (ms), 4 now (ms)
-- Returns 1 when the delivery is new and is to be attempted now, else 0.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], tonumber(ARGV[4]) + tonumber(ARGV[3]), ARGV[1])
return 1
