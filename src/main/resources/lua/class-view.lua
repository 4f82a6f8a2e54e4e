-- The cached answer of a class with the Last-Modified to send, in one round trip.
-- KEYS: 1 the cached class answer, 2 the class's Last-Modified seen flag (lib.lua)
-- ARGV: 1 now (ms)
-- Returns {body, ETag, the stored Last-Modified second, the second to send}, or an empty list when not cached.
local cached = redis.call('HMGET', KEYS[1], 'body', 'etag', 'modified')
if not cached[1] then return {} end
local answer = modified_for_reader(tonumber(cached[3]), KEYS[2], ARGV[1])
return {cached[1], cached[2], tostring(answer[1]), tostring(answer[2])}
