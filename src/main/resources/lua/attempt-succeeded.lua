-- The target has the delivery: remember that (a message delivered again is then skipped), forget the pending
-- delivery, and close its target's circuit.
-- KEYS: 1 the delivered marker, 2 the attempt lock, 3 the pending deliveries (hash), 4 the retry schedule (zset),
--       5 the target's circuit, 6 the target's probe lock
-- ARGV: 1 delivery id, 2 how long the marker is kept (s)
redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[5], KEYS[6])
