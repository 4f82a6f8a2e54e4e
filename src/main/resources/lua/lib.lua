-- Shared by every script (LuaScripts prepends it): the bookkeeping of the conditional-GET cache.
--
-- Last-Modified is never later than the answer's Date (RFC 9110, 8.8.2.1), and If-Modified-Since never answers a
-- stale 304 (13.1.3: 304 when the representation's last modification is not later than the date sent). With whole
-- seconds, a second S that a reader was already sent cannot also stand for a later change within S. So each
-- resource keeps its Last-Modified second and a "seen" flag, set when a reader is sent that very second:
-- - a change moves Last-Modified to its own second, and past the previous value only when that was seen; the
--   value is then at most one second ahead of the clock, and only after a read and a change within one second;
-- - a reader is sent the stored second when the clock has reached it (and sets the flag); otherwise (it is the
--   next second) the reader is sent the second before the current one. If-Modified-Since is always compared with
--   the stored second, which never goes down, so a lowered value is answered 200, now and after any later change:
--   never a stale 304. It is the second before now, not now (RFC 9110, 8.8.2.1 would replace a future value by the
--   Date), because now is the second the readers of the previous version hold, and two versions read within one
--   second keep two Last-Modified values. Lowered answers last until the clock reaches the stored second (at most
--   one second); the first read after that is sent the stored second, and 304s by date come back.

-- Moves a Last-Modified second to the change's second, and past the previous value when a reader was sent it.
local function bump_modified(key, seen_key, now_ms)
  local now = math.floor(tonumber(now_ms) / 1000)
  local previous = tonumber(redis.call('GET', key) or '0')
  local seen = redis.call('DEL', seen_key)
  redis.call('SET', key, math.max(now, previous + seen))
end

-- What a reader is sent for a stored Last-Modified second: {the stored second (the one If-Modified-Since is
-- compared with), the second to send (never later than now)}; flags the stored second as seen when it is sent.
local function modified_for_reader(modified, seen_key, now_ms)
  local now = math.floor(tonumber(now_ms) / 1000)
  if modified <= now then
    redis.call('SET', seen_key, '1', 'NX')
    return {modified, modified}
  end
  return {modified, now - 1}
end

-- A class's waiting list changed: new list version, new Last-Modified of the list and of the class, the cached
-- class answer (which shows the list's length) dropped and the class listing's version moved on (the cached
-- listing shows it too), all in the same step as the change.
-- KEYS[first] onwards (ClassViews.waitlistKeys): list version, list Last-Modified, its seen flag, class
-- Last-Modified, its seen flag, cached class answer, class listing version
local function waitlist_changed(first, now_ms)
  redis.call('INCR', KEYS[first])
  bump_modified(KEYS[first + 1], KEYS[first + 2], now_ms)
  bump_modified(KEYS[first + 3], KEYS[first + 4], now_ms)
  redis.call('DEL', KEYS[first + 5])
  redis.call('INCR', KEYS[first + 6])
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
