-- How many students wait for a seat of a class: on its list, or taken off it by a promotion not yet ended.
-- KEYS: 1 the class's list, 2 the class's in-flight promotions
return redis.call('ZCARD', KEYS[1]) + redis.call('HLEN', KEYS[2])
