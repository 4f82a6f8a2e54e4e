-- Caches a class answer read from DynamoDB, unless the class changed in the meantime (the hold is set).
-- KEYS: 1 the cached class answer, 2 the hold, 3 the class's Last-Modified, 4 its seen flag (lib.lua)
-- ARGV: 1 body, 2 ETag, 3 Last-Modified second of the row, 4 time to live (s), 5 now (ms)
-- Returns {the stored Last-Modified second, the second to send}, as strings.
local row = tonumber(ARGV[3])
local stored = tonumber(redis.call('GET', KEYS[3]) or '0')
local modified = math.max(row, stored)
if redis.call('EXISTS', KEYS[2]) == 1 then
  -- the row read may be older than the change that set the hold: sent as a second before the stored one, its
  -- Last-Modified can never earn a stale 304
  return {tostring(modified), tostring(math.min(row, modified - 1))}
end
if modified > stored then redis.call('SET', KEYS[3], modified) end
redis.call('HSET', KEYS[1], 'body', ARGV[1], 'etag', ARGV[2], 'modified', modified)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
local answer = modified_for_reader(modified, KEYS[4], ARGV[5])
return {tostring(answer[1]), tostring(answer[2])}
