-- Asks for a class's free seats to be filled from its waiting list, by whichever instance takes the class's turn.
-- The request stays until a holder of the turn concludes a pass that began after it (its version), so neither a
-- crash nor a request made during a running pass is lost. Nothing is requested while nobody waits.
-- KEYS: 1 the promotion requests (sorted set: class id by due time, ms), 2 the request versions (hash: class id ->
--       count), 3 the class's turn, 4 the class's list, 5 the class's in-flight promotions
-- ARGV: 1 class id, 2 now (ms)
-- Returns 1 when a promotion was requested, 0 when nobody waits for a seat of the class.
if redis.call('ZCARD', KEYS[4]) + redis.call('HLEN', KEYS[5]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if redis.call('EXISTS', KEYS[3]) == 1 then
  -- its holder sees the new version when it concludes; until then the request is due when the lease lapses
  redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], 'LT', ARGV[2], ARGV[1])
end
return 1
