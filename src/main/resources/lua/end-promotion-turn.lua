-- A holder of a class's turn concludes a pass. When no request came since the one it took, the request is
-- fulfilled: it and the turn are removed together. When one came meanwhile, the holder keeps the turn (renewed)
-- for another pass, so a request made during a pass is never lost.
-- KEYS: 1 the promotion requests, 2 the request versions, 3 the class's turn
-- ARGV: 1 class id, 2 the holder's token, 3 the version it took, 4 lease (ms), 5 now (ms)
-- Returns 0 when the request is fulfilled and the turn given back; the newer version when the caller is to make
-- another pass; -1 when the turn was lost (its lease lapsed and another instance took it, with the request).
if not hold_turn(KEYS[3], KEYS[1], ARGV[1], ARGV[2], ARGV[4], ARGV[5]) then return -1 end
local version = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if version ~= tonumber(ARGV[3]) then return version end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return 0
