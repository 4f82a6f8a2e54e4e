-- Stores (or replaces) a subscription and indexes it by student and by class, in one step.
-- KEYS: 1 the subscription hash, 2 the student's subscribed classes, 3 the class's subscribed students
-- ARGV: 1 student id, 2 class id, 3 email ('' for none), 4 callback URL ('' for none), 5 secret
-- Returns 1 when the subscription is new, 0 when it replaced one.
local existed = redis.call('EXISTS', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'studentId', ARGV[1], 'classId', ARGV[2], 'email', ARGV[3], 'callbackUrl', ARGV[4],
  'secret', ARGV[5], 'webhookDisabled', '0')
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1 - existed
