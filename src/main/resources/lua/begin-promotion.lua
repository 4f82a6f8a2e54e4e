-- Moves the first student of a class's waiting list who has no hold into the class's in-flight promotions, from which the
-- promotion is either committed (after the DynamoDB enrollment) or restored. A crash in between leaves the
-- entry in flight, where the next holder of the turn (or the repair) finds it: nobody is lost. Only the holder of
-- the class's turn moves a student (the fence: a holder whose lease lapsed, say in a long pause, moves nobody), and
-- each move renews its lease.
-- KEYS: 1 the class's list, 2 the class's in-flight promotions (hash student -> "arrival:startedMillis"),
--       3 the classes with in-flight promotions, 4 the classes that have a list, 5 the class's promotion turn,
--       6 the promotion requests, 7-13 the conditional-GET bookkeeping (see lib.lua), 14 the students with a
--       hold (passed over, they keep their place), 15 onwards: the lists-of-student set of each student the
--       caller read on the list, in the order of ARGV 5 onwards
-- ARGV: 1 class id, 2 now (ms), 3 the holder's token, 4 lease (ms), 5 how many students the caller passes over (n:
--       they failed the registration rules in this turn and keep their place), 6 to 5+n those students, 6+n onwards:
--       the students the caller read on the list
-- Returns {student, arrival}; an empty list when nobody without a hold or passed over waits or the caller no longer
-- holds the turn; {'unread'} when the student to move was not among those read (joined meanwhile: read again).
if not hold_turn(KEYS[5], KEYS[6], ARGV[1], ARGV[3], ARGV[4], ARGV[2]) then return {} end
local passed_over = {}
local read_from = 6 + tonumber(ARGV[5])
for i = 6, read_from - 1 do passed_over[ARGV[i]] = true end
local waiting = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local first = {}
for i = 1, #waiting, 2 do
  if not passed_over[waiting[i]] and redis.call('SISMEMBER', KEYS[14], waiting[i]) == 0 then
    first = {waiting[i], waiting[i + 1]}
    break
  end
end
if #first == 0 then return {} end
local lists_key
for i = read_from, #ARGV do
  if ARGV[i] == first[1] then lists_key = KEYS[15 + i - read_from] end
end
if not lists_key then return {'unread'} end
redis.call('ZREM', KEYS[1], first[1])
redis.call('SREM', lists_key, ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[4], ARGV[1]) end
redis.call('HSET', KEYS[2], first[1], first[2] .. ':' .. ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
waitlist_changed(7, ARGV[2])
return first
