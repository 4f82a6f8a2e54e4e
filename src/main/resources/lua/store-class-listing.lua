-- Caches the class listing built from the stores, unless anything it shows changed since its build began: every
-- change of a class row or a waiting list moves the version on (class-changed.lua, lib.lua's waitlist_changed).
-- KEYS: 1 the class listing's version, 2 the cached listing
-- ARGV: 1 the version read before the build, 2 the listing, 3 time to live (s)
if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1] .. '\n' .. ARGV[2], 'EX', tonumber(ARGV[3]))
end
return 1
