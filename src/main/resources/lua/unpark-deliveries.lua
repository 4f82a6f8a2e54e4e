-- Lets a target's parked deliveries out, oldest first, to be due now; one that is no longer pending (it was
-- delivered or dead-lettered meanwhile) is not put back.
-- KEYS: 1 the target's parking (zset), 2 the retry schedule (zset)
-- ARGV: 1 how many at most, 2 now (ms)
-- Returns how many were let out.
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[1]))
local count = 0
for i = 1, #popped, 2 do
  count = count + redis.call('ZADD', KEYS[2], 'XX', 'CH', tonumber(ARGV[2]), popped[i])
end
return count
