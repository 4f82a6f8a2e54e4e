-- Takes a class's promotion turn: one holder at a time promotes a class's students, so they move in arrival order.
-- The turn is a lease: its key holds the holder's token and lapses unless the holder renews it at every step
-- (hold_turn in lib.lua), so any live instance takes over from one that died.
-- KEYS: 1 the promotion requests, 2 the request versions, 3 the class's turn
-- ARGV: 1 class id, 2 the new holder's token, 3 lease (ms), 4 now (ms)
-- Returns the version of the request the caller now holds the turn for; nil when nothing is requested for the
-- class or another holder's lease still runs.
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return false end
if not redis.call('SET', KEYS[3], ARGV[2], 'NX', 'PX', ARGV[3]) then return false end
redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[4]) + tonumber(ARGV[3]), ARGV[1])
return tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
