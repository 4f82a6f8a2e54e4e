-- Puts a dead letter back at the start of its schedule, due now, unless another replay took it first (or it is not
-- the dead letter that was read any more): so a dead letter is replayed once however many replays race for it.
-- KEYS: 1 the dead letters (hash), 2 the pending deliveries (hash), 3 the retry schedule (zset)
-- ARGV: 1 the dead letter's id (its delivery's id), 2 the dead letter as it was read, 3 its delivery from the start
--       (JSON), 4 now (ms)
-- Returns 1 when this call replayed it, else 0.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), ARGV[1])
return 1
