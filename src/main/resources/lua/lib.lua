-- Shared by every script (LuaScripts prepends it): the bookkeeping of the conditional-GET cache.

-- Moves a Last-Modified second forward: to now, and always past the previous value, so two changes within one
-- second still get two different Last-Modified values and If-Modified-Since can never answer a stale 304.
local function bump_modified(key, now_ms)
  local now = math.ceil(tonumber(now_ms) / 1000)
  local previous = tonumber(redis.call('GET', key) or '0')
  redis.call('SET', key, math.max(now, previous + 1))
end

-- A class's waiting list changed: new list version, new Last-Modified of the list and of the class, the cached
-- class answer (which shows the list's length) dropped and the class listing's version moved on (the cached
-- listing shows it too), all in the same step as the change.
-- keys: list version, list Last-Modified, class Last-Modified, cached class answer, class listing version
local function waitlist_changed(version_key, list_modified_key, class_modified_key, view_key, listing_version_key,
                                now_ms)
  redis.call('INCR', version_key)
  bump_modified(list_modified_key, now_ms)
  bump_modified(class_modified_key, now_ms)
  redis.call('DEL', view_key)
  redis.call('INCR', listing_version_key)
end

-- The caller holds a class's promotion turn only while the turn's key still holds its token: then its lease runs
-- lease_ms from now again, and the class's request is not due for any other instance before the lease lapses (a
-- holder that dies stops renewing, and both fall due together). False, and nothing changed, when the turn was lost.
-- keys: the class's turn, the promotion requests (sorted set: class id by due time, ms)
local function hold_turn(turn_key, requests_key, class_id, token, lease_ms, now_ms)
  if redis.call('GET', turn_key) ~= token then return false end
  redis.call('PEXPIRE', turn_key, lease_ms)
  redis.call('ZADD', requests_key, 'XX', tonumber(now_ms) + tonumber(lease_ms), class_id)
  return true
end
