-- Starts an attempt of a delivery unless it already succeeded, another consumer is attempting it right now, or
-- the circuit of its target (callback URL, or the mail relay) is open (then the delivery is postponed, not attempted). Once the circuit's
-- open time is over, one attempt at a time, across every instance, probes the target.
-- KEYS: 1 the delivered marker, 2 the attempt lock, 3 the pending deliveries (hash), 4 the retry schedule (zset),
--       5 the target's circuit (hash: failures, open_until), 6 the target's probe lock
-- ARGV: 1 delivery id, 2 the delivery as JSON (its attempt counted), 3 lease (ms), 4 now (ms),
--       5 consecutive failures that open the circuit, 6 a random number in [0, 1) (Redis scripts have no
--       randomness of their own), 7 the spread of postponed deliveries (ms), 8 the probe lease (ms),
--       9 how long the circuit stays open (ms)
-- Returns 'go', 'delivered', 'busy' or 'open'.
if redis.call('EXISTS', KEYS[1]) == 1 then return 'delivered' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'busy' end
local now = tonumber(ARGV[4])
local failures = tonumber(redis.call('HGET', KEYS[5], 'failures') or '0')
if failures >= tonumber(ARGV[5]) then
  local open_until = tonumber(redis.call('HGET', KEYS[5], 'open_until') or '0')
  local spread = math.floor(tonumber(ARGV[6]) * tonumber(ARGV[7]))
  if now < open_until then
    redis.call('ZADD', KEYS[4], open_until + spread, ARGV[1])
    return 'open'
  end
  if not redis.call('SET', KEYS[6], ARGV[1], 'NX', 'PX', ARGV[8]) then
    -- another attempt is probing: wait as if the circuit were open (the probe's failure reopens it)
    redis.call('ZADD', KEYS[4], now + tonumber(ARGV[9]) + spread, ARGV[1])
    return 'open'
  end
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
-- if this instance dies during the attempt, the schedule retries it once the lease is over
redis.call('ZADD', KEYS[4], now + tonumber(ARGV[3]), ARGV[1])
return 'go'
