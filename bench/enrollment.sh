#!/usr/bin/env bash
# Load against the running jar (every store embedded): (a) the two hot reads, GET /student/waitlist/{id} and
# GET /student/classes, and (b) enroll+drop pairs, each with CLIENTS concurrent connections for DURATION.
# Usage: bench/enrollment.sh [CLIENTS=32] [DURATION=20s]; needs wrk (apt-get install wrk) and openssl.
source "$(dirname "$0")/lib.sh"
CLIENTS=${1:-32}
DURATION=${2:-20s}
machine
start_service
setup_campus

waiting_student
warm_up "/student/waitlist/$FULL"
for i in $(seq 1 15); do new_class "$REGISTRAR" 30 > /dev/null; done

echo "== (a) GET /student/waitlist/$FULL, $CLIENTS connections, $DURATION"
wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/get.lua" "$BASE" -- "/student/waitlist/$FULL"
echo "== (a) GET /student/classes (16 classes), $CLIENTS connections, $DURATION"
wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/get.lua" "$BASE" -- /student/classes

# Enough seats for every client: each pair is a real seat taken and freed.
PAIRS=$(new_class "$REGISTRAR" "$CLIENTS")
export BENCH_TOKENS="$WORK/tokens"
tokens 2000001 "$CLIENTS" > "$BENCH_TOKENS"
echo "== (b) enroll+drop pairs on class $PAIRS, $CLIENTS students at once, $DURATION"
wrk -t"$CLIENTS" -c"$CLIENTS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/enroll-drop.lua" "$BASE" -- "$PAIRS"
