-- A class's open offers changed (enrollment/Offers): the instructor's list shows them, so its validators move as for
-- a change of the list itself.
-- KEYS: 1-5 the conditional-GET bookkeeping (see lib.lua)
-- ARGV: 1 now (ms)
waitlist_changed(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1])
return 1
