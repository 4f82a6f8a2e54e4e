-- Claims the deliveries whose time has come: each is pushed back by a lease, so an instance that dies
-- mid-attempt leaves it to be claimed again when the lease ends, and two instances never claim it at once.
-- KEYS: 1 the retry schedule (zset delivery id -> due ms)
-- ARGV: 1 now (ms), 2 lease (ms), 3 how many at most
-- Returns the claimed delivery ids.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(due) do
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id)
end
return due
