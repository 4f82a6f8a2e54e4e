-- An attempt failed in a way worth retrying: the delivery waits for its next slot, and the failure counts
-- towards opening its target's circuit (any success closes it again).
-- KEYS: 1 the attempt lock, 2 the pending deliveries (hash), 3 the retry schedule (zset),
--       4 the target's circuit (hash: failures, open_until), 5 the target's probe lock
-- ARGV: 1 delivery id, 2 the delivery as JSON, 3 when it is due again (ms), 4 now (ms),
--       5 consecutive failures that open the circuit, 6 how long it stays open (ms), 7 how long an idle circuit is
--       remembered (s)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], tonumber(ARGV[3]), ARGV[1])
redis.call('DEL', KEYS[1])
local failures = redis.call('HINCRBY', KEYS[4], 'failures', 1)
if failures >= tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[4], 'open_until', tonumber(ARGV[4]) + tonumber(ARGV[6]))
  redis.call('DEL', KEYS[5])
end
redis.call('EXPIRE', KEYS[4], ARGV[7])
