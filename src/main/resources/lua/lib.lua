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
