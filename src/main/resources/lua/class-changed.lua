-- A class's DynamoDB row changed (seats, title, capacity, instructor, removal): new Last-Modified, the cached
-- answer and owner dropped, and a short hold so that a reader who loaded the old row just before the change
-- cannot put it back into the cache.
-- The class listing's version moves on, so a cached listing (or one being built) is not served.
-- KEYS: 1 the class's Last-Modified, 2 its seen flag (lib.lua), 3 the cached class answer, 4 the cached owner,
-- 5 the hold, 6 the class listing's version
-- ARGV: 1 now (ms), 2 hold (ms)
bump_modified(KEYS[1], KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3], KEYS[4])
redis.call('SET', KEYS[5], '1', 'PX', ARGV[2])
redis.call('INCR', KEYS[6])
return 1
