-- A class's open offers changed (enrollment/Offers): the instructor's list shows them, so its validators move as for
-- a change of the list itself.
-- KEYS: 1-7 the conditional-GET bookkeeping (see lib.lua)
-- ARGV: 1 now (ms)
waitlist_changed(1, ARGV[1])
return 1
