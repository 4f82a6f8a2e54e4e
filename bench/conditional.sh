#!/usr/bin/env bash
# GET /student/waitlist/{id}: the 200 path against the 304 path (If-None-Match of the current ETag), same
# connections and duration. Usage: bench/conditional.sh [CLIENTS=32] [DURATION=20s]; needs wrk and openssl.
source "$(dirname "$0")/lib.sh"
CLIENTS=${1:-32}
DURATION=${2:-20s}
machine
start_service
setup_campus
waiting_student
warm_up "/student/waitlist/$FULL"
ETAG=$(etag "/student/waitlist/$FULL")

echo "== 200 path: GET /student/waitlist/$FULL, $CLIENTS connections, $DURATION"
BENCH_IF_NONE_MATCH='' wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/get.lua" "$BASE" -- "/student/waitlist/$FULL"
echo "== 304 path: the same with If-None-Match: $ETAG"
BENCH_IF_NONE_MATCH="$ETAG" wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/get.lua" "$BASE" -- "/student/waitlist/$FULL"
