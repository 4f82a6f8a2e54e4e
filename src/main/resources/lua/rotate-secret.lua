-- Rotates a subscription's webhook secret: the new one signs from now on, the one it replaces keeps signing until
-- the grace period ends, and older ones until theirs end; at most a given number of secrets are valid at once
-- (the oldest drop out first).
-- KEYS: 1 the subscription hash (fields secret, previousSecrets: a JSON array [{secret, expiresAt (ms)}...],
--       newest first)
-- ARGV: 1 the new secret, 2 now (ms), 3 the grace period (ms), 4 the most secrets valid at once
-- Returns when the replaced secret stops signing (ms), or nil when there is no such subscription.
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local now = tonumber(ARGV[2])
local expires = now + tonumber(ARGV[3])
local kept = { { secret = redis.call('HGET', KEYS[1], 'secret'), expiresAt = expires } }
local previous = redis.call('HGET', KEYS[1], 'previousSecrets')
if previous then
  for _, old in ipairs(cjson.decode(previous)) do
    if old.expiresAt > now and #kept < tonumber(ARGV[4]) - 1 then
      table.insert(kept, old)
    end
  end
end
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'previousSecrets', cjson.encode(kept))
return expires
