-- Caches a class answer read from DynamoDB, unless the class changed in the meantime (the hold is set).
-- KEYS: 1 the cached class answer, 2 the hold, 3 the class's Last-Modified
-- ARGV: 1 body, 2 ETag, 3 Last-Modified second of the row, 4 time to live (s)
-- Returns the Last-Modified second to send.
local modified = math.max(tonumber(ARGV[3]), tonumber(redis.call('GET', KEYS[3]) or '0'))
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[1], 'body', ARGV[1], 'etag', ARGV[2], 'modified', modified)
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
end
return modified
