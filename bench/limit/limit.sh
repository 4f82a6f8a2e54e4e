#!/usr/bin/env bash
# The service's hot reads against the reference servers of issue 11, in one run on one Redis, and the ratios.
# References (bench/java/bench/References.java): Vert.x + a Jedis pool + the service's waiting-list Lua script, the same with RS256
# verification of every request's token, and a minimal Camel REST DSL route on platform-http with one processor
# doing the same Lua call, JMX statistics Default and Extended. Then the service (every store
# embedded but Redis, which is Debian's redis-server here, shared with the references): GET /student/waitlist/{id}
# (200 and 304) and GET /student/classes.
# Usage: bench/limit/limit.sh [CLIENTS=32] [DURATION=20s]; needs wrk, openssl, redis-server.
source "$(dirname "$0")/../lib.sh"
CLIENTS=${1:-32}
DURATION=${2:-20s}
REFERENCE_PIDS=()
bench_classpath "$ROOT"

stop_all() {
  for pid in "${REFERENCE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  stop_service
}
trap stop_all EXIT

# reference PORT KIND ARGS...: starts a reference server (References.java) and waits for its port.
reference() {
  local port=$1 kind=$2
  shift 2
  (cd "$ROOT" && exec java -Xmx256m -cp "$BENCH_CP" bench.References "$kind" "$port" "$@" \
    > "$WORK/$kind-$port.log" 2>&1) &
  REFERENCE_PIDS+=($!)
  for _ in $(seq 1 240); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.25
  done
  cat "$WORK/$kind-$port.log"; echo "reference $kind did not come up" >&2; exit 1
}

# measure NAME URL PATH [IF_NONE_MATCH]: a discarded warm-up, then the run; prints one row and remembers req/s.
declare -A RATE
measure() {
  local name=$1 url=$2 path=$3 out
  BENCH_IF_NONE_MATCH=${4:-} wrk -t2 -c"$CLIENTS" -d10s -s "$ROOT/bench/wrk/get.lua" "$url" -- "$path" > /dev/null
  out=$(BENCH_IF_NONE_MATCH=${4:-} wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/get.lua" "$url" -- "$path")
  RATE[$name]=$(awk '/^Requests\/sec/ {print $2}' <<< "$out")
  printf '%-44s %10s req/s  p50 %9s  p99 %9s  non-2xx/3xx %s\n' "$name" "${RATE[$name]}" \
    "$(awk '$1 == "50%" {print $2}' <<< "$out")" "$(awk '$1 == "99%" {print $2}' <<< "$out")" \
    "$(awk '/Non-2xx/ {print $NF}' <<< "$out")"
}

machine
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $CLIENTS connections, $DURATION per row after 10 s of warm-up"
start_redis "$WORK"
REFERENCE_PIDS+=("$REDIS_PID")
start_service REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
setup_campus
waiting_student
[ "$FULL" = 1 ] || { echo "the references read class 1's list; the waiting student's class is $FULL" >&2; exit 1; }
curl -sf "$BASE/auth/jwks.json" > "$WORK/jwks.json"
for i in $(seq 2 16); do new_class "$REGISTRAR" 30 > /dev/null; done
ETAG=$(etag /student/waitlist/1)

reference $((PORT + 1)) vertx "$REDIS_PORT"
reference $((PORT + 2)) vertx-rs256 "$REDIS_PORT" "$WORK/jwks.json"
reference $((PORT + 3)) camel "$REDIS_PORT" Default
reference $((PORT + 4)) camel "$REDIS_PORT" Extended

measure "Vert.x + Jedis + Lua" "http://127.0.0.1:$((PORT + 1))" /student/waitlist/1
measure "Vert.x + Jedis + Lua + RS256" "http://127.0.0.1:$((PORT + 2))" /student/waitlist/1
measure "Camel REST route + Lua, JMX Default" "http://127.0.0.1:$((PORT + 3))" /student/waitlist/1
measure "Camel REST route + Lua, JMX Extended" "http://127.0.0.1:$((PORT + 4))" /student/waitlist/1
measure "service GET /student/waitlist/1 (200)" "$BASE" /student/waitlist/1
measure "service GET /student/waitlist/1 (304)" "$BASE" /student/waitlist/1 "$ETAG"
measure "service GET /student/classes (16 classes)" "$BASE" /student/classes

reference_rate=${RATE["Vert.x + Jedis + Lua"]}
echo "== ratios to Vert.x + Jedis + Lua ($reference_rate req/s)"
for name in "Vert.x + Jedis + Lua + RS256" "Camel REST route + Lua, JMX Default" "Camel REST route + Lua, JMX Extended" \
    "service GET /student/waitlist/1 (200)" "service GET /student/waitlist/1 (304)" "service GET /student/classes (16 classes)"; do
  printf '%-44s %.2f\n' "$name" "$(awk -v a="${RATE[$name]}" -v b="$reference_rate" 'BEGIN {print a / b}')"
done
echo "service RSS after the reads: $(ps -o rss= -p "$SERVICE_PID" | awk '{print int($1 / 1024)}') MB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
