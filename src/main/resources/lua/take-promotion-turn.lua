-- Promotions of one class run one at a time, so students are enrolled strictly in arrival order. Whoever
-- frees a seat first leaves a request (KEYS[1]); the first caller to find a request and the turn free
-- (KEYS[2]) takes both. The one promoting checks again after its turn, so no request is ever left behind.
-- KEYS: 1 the class's pending request, 2 the class's turn
-- ARGV: 1 how long a turn may last (ms) before a crashed holder loses it
-- Returns 1 when the caller now holds the turn, 0 otherwise.
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
