-- Starts an attempt of a delivery unless it already succeeded or another consumer is attempting it right now
-- (the broker can hand the same event to two consumers, and the outbox can publish it twice).
-- KEYS: 1 the delivered marker, 2 the attempt lock, 3 the pending deliveries (hash), 4 the retry schedule (zset)
-- ARGV: 1 delivery id, 2 the delivery as JSON (its attempt counted), 3 lease (ms), 4 now (ms)
-- Returns 'go', 'delivered' or 'busy'.
if redis.call('EXISTS', KEYS[1]) == 1 then return 'delivered' end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return 'busy' end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
-- if this instance dies during the attempt, the schedule retries it once the lease is over
redis.call('ZADD', KEYS[4], tonumber(ARGV[4]) + tonumber(ARGV[3]), ARGV[1])
return 'go'
