-- A class's DynamoDB row changed (seats, title, capacity, instructor, removal): new Last-Modified, the cached
-- answer and owner dropped, and a short hold so that a reader who loaded the old row just before the change
-- cannot put it back into the cache.
-- The class listing's version moves on, so a cached listing (or one being built) is not served.
-- KEYS: 1 the class's Last-Modified, 2 the cached class answer, 3 the cached owner, 4 the hold, 5 the class
-- listing's version
-- ARGV: 1 now (ms), 2 hold (ms)
bump_modified(KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
redis.call('INCR', KEYS[5])
return 1
