#!/usr/bin/env bash
# Registration rush: every student asks for a seat at the same moment, through a DynamoDB proxy that behaves as
# DynamoDB does under contention (support.DynamoDbConflictProxy: each TransactWriteItems holds its items for
# LATENCY_MS, a transaction touching an item in flight is cancelled with TransactionConflict), against one
# instance and against two instances sharing the stores.
#
#   (a)     A_STUDENTS=1000 students on one class of A_CAPACITY=300 seats
#           → expected 300 × 201, 15 × 202, 685 × 409
#   (b)     B_STUDENTS=5000 students on B_CLASSES=50 classes of B_CAPACITY=60 seats (100 students a class)
#           → expected 3000 × 201, 750 × 202, 1250 × 409
#   a-ref / b-ref: the same through the proxy at 0 ms (no latency; one instance, so no conflicts): what the service
#           and DynamoDB Local on these cores do without the latency.
#   bw1 / bwN  (b) staged by registration windows (issue 21), one instance, 10 ms: the registrar imports a window per
#           student as CSV; bw1 = every window opens at the same moment (the reference), bwN = RUSH_WAVES windows
#           RUSH_GAP seconds apart (default 5 × 60 s), each wave of students clicking when theirs opens. Reported per
#           wave: seconds from its opening to its last answer, p50/p99.
#
# Usage (from anywhere): bench/rush.sh [LATENCY_MS=10] [CONCURRENCY=256]     (about 6 minutes on 2 cores)
#   CONCURRENCY: requests in flight at most (the load client's threads, all released at once)
#   RUSH_RUNS: which runs, in order (default "a-ref b-ref a1 b1 a2 b2"; a1 = (a) on one instance, a2 = on two;
#           bw1 and bwN on request, e.g. RUSH_RUNS="bw1 bwN")
#   RUSH_WAVES, RUSH_GAP: the windows of bwN (default 5 and 60 s)
#   RUSH_A_STUDENTS, RUSH_A_CAPACITY, RUSH_B_STUDENTS, RUSH_B_CLASSES, RUSH_B_CAPACITY: the sizes above
#   RUSH_WARMUP: students (in rushes of 250 on classes of 80) sent to each fresh instance before its first measured
#           run, not measured (default 1000; the first rush on a cold JVM takes about twice as long)
#   RUSH_PROBE_SECONDS: length of each phase of the DynamoDB Local probe run first (default 4)
#   RUSH_LOGS: a directory to copy the logs to on exit (service instances, proxy, DynamoDB Local, broker)
#   BENCH_JAVA_OPTS: JVM options of the service instances
# Needs JDK 17, curl, openssl; redis-server from Debian when installed (else the project's embedded one).
# Builds what is missing (target/enrollment-service.jar, target/classes, target/test-classes with the bench programs
# and the conflict proxy, and the dependency class path target/bench-classpath.txt) with mvn; MVN_ARGS (e.g. -o) goes
# to those mvn calls.
#
# Processes (all on 127.0.0.1, each stopped by PID on exit): DynamoDB Local (in memory, its own JVM, counting its
# requests), Redis, an AMQP broker (the project's embedded Qpid, its own JVM), the conflict proxy (its own JVM),
# the service instances (the jar), and the load client bench.RushBench (bench/java/bench/RushBench.java, compiled by
# the build).
# All of them share the machine's cores.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
LATENCY_MS=${1:-10}
CONCURRENCY=${2:-256}
RUNS=${RUSH_RUNS:-a-ref b-ref a1 b1 a2 b2}
A_STUDENTS=${RUSH_A_STUDENTS:-1000}
A_CAPACITY=${RUSH_A_CAPACITY:-300}
B_STUDENTS=${RUSH_B_STUDENTS:-5000}
B_CLASSES=${RUSH_B_CLASSES:-50}
B_CAPACITY=${RUSH_B_CAPACITY:-60}
WARMUP=${RUSH_WARMUP:-1000}
WAVES=${RUSH_WAVES:-5}
GAP=${RUSH_GAP:-60}
PROBE_SECONDS=${RUSH_PROBE_SECONDS:-4}
JAR=$ROOT/target/enrollment-service.jar

log() { printf '[rush] %s\n' "$*"; }
die() { printf '[rush] ERROR: %s\n' "$*" >&2; exit 1; }

for tool in java curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
[[ $LATENCY_MS =~ ^[0-9]+$ && $CONCURRENCY =~ ^[0-9]+$ && $CONCURRENCY -gt 0 ]] \
  || die "usage: bench/rush.sh [LATENCY_MS=10] [CONCURRENCY=256]"
for run in $RUNS; do
  [[ $run =~ ^(a-ref|b-ref|a1|b1|a2|b2|bw1|bwN)$ ]] || die "unknown run $run in RUSH_RUNS (a-ref b-ref a1 b1 a2 b2 bw1 bwN)"
done

# --- what it runs on: build what is missing ----------------------------------------------------------------

if [ ! -f "$JAR" ] || [ ! -d target/classes ]; then
  log "building target/enrollment-service.jar"
  mvn -B -q ${MVN_ARGS:-} package -DskipTests
fi
# shellcheck source=processes.sh
. "$(dirname "${BASH_SOURCE[0]}")/processes.sh"
bench_classpath "$ROOT"
CP=$BENCH_CP

# Unset what would point the instances elsewhere; set placeholder AWS credentials so the SDK never looks further
# (no instance-metadata call off the machine).
unset DYNAMODB_ENDPOINT SMTP_HOST SMTP_PORT REDIS_URL RABBITMQ_URL ROUTES_RELOAD_DIRECTORY STORE_PREFIX
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

WORK=$(mktemp -d /tmp/rush-bench.XXXXXX)
declare -A PIDS=()     # name → pid of everything started here
declare -A PORTS=()    # service instance name → HTTP port
declare -A WARMED=()   # service instances already warmed up
FAILED=0

# --- processes -------------------------------------------------------------------------------------------

stop_named() {
  local name=$1
  [ -n "${PIDS[$name]:-}" ] || return 0
  stop_pid "${PIDS[$name]}" "$name" 20
  unset "PIDS[$name]"
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  # the instances first, then what they use
  for name in svc-ref svc1 svc2 proxy-0ms proxy broker redis dynamodb; do
    stop_named "$name"
  done
  if [ -n "${RUSH_LOGS:-}" ]; then
    mkdir -p "$RUSH_LOGS" && cp "$WORK"/*.log "$WORK"/*.txt "$WORK"/*.tsv "$RUSH_LOGS"/ 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_java NAME READY_PREFIX ARGS...: a launcher whose first line "READY_PREFIX URL" gives its address; sets URL.
start_java() {
  local name=$1 prefix=$2 i
  shift 2
  (cd "$WORK" && exec java "$@") </dev/null >"$WORK/$name.log" 2>&1 &
  PIDS[$name]=$!
  for ((i = 0; i < 240; i++)); do
    URL=$(sed -n "s/^$prefix \\([^ ]*\\).*/\\1/p" "$WORK/$name.log" | head -1)
    [ -n "$URL" ] && return 0
    alive "${PIDS[$name]}" || break
    sleep 0.25
  done
  tail -30 "$WORK/$name.log" >&2
  die "$name did not start"
}

# start_instance NAME DYNAMODB_URL: a service instance on the shared stores.
# The instances' tables and keys; RushBench writes its students' user rows into the same users table.
PREFIX=rush-

start_instance() {
  local name=$1 dynamo=$2 port t0
  free_port port 18300
  mkdir -p "$WORK/$name"
  # Run from its own directory: from the source tree the service would watch src/main/resources/camel.
  (cd "$WORK/$name" && exec env HTTP_HOST=127.0.0.1 HTTP_PORT="$port" DEMO_DATA=false STORE_PREFIX="$PREFIX" \
     DYNAMODB_ENDPOINT="$dynamo" REDIS_URL="$REDIS" RABBITMQ_URL="$BROKER" JWT_PRIVATE_KEY_FILE="$WORK/key.pem" \
     java ${BENCH_JAVA_OPTS:-} -jar "$JAR") </dev/null >"$WORK/$name.log" 2>&1 &
  PIDS[$name]=$!
  PORTS[$name]=$port
  t0=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/observe/health" || true)" \
          = 200 ]; do
    alive "${PIDS[$name]}" || { tail -40 "$WORK/$name.log" >&2; die "$name exited before becoming healthy"; }
    ((SECONDS - t0 < 180)) || { tail -40 "$WORK/$name.log" >&2; die "$name not healthy within 180s"; }
    sleep 0.5
  done
  log "$name on http://127.0.0.1:$port (pid ${PIDS[$name]}, DynamoDB via $dynamo) healthy after $((SECONDS - t0))s"
}

# rush LABEL PROXY_NAME LATENCY STUDENTS CLASSES CAPACITY INSTANCE... (RUSH_ARGS: more options of the client)
rush() {
  local label=$1 proxy_name=$2 latency=$3 students=$4 classes=$5 capacity=$6 bases='' pids='' warm='' name
  shift 6
  for name in "$@"; do
    bases+="${bases:+,}http://127.0.0.1:${PORTS[$name]}"
    pids+="$name=${PIDS[$name]},"
    # a fresh instance is warmed up first (by the client, not measured); a warm one keeps its JIT-compiled code
    [ -n "${WARMED[$name]:-}" ] || warm+="${warm:+,}http://127.0.0.1:${PORTS[$name]}"
    WARMED[$name]=1
  done
  pids+="dynamodb=${PIDS[dynamodb]},proxy=${PIDS[$proxy_name]},broker=${PIDS[broker]}"
  [ -z "${PIDS[redis]:-}" ] || pids+=",redis=${PIDS[redis]}"
  log "load average before $label: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$CP" bench.RushBench rush --label "$label" --bases "$bases" --key "$WORK/key.pem" \
    --students "$students" --classes "$classes" --capacity "$capacity" --concurrency "$CONCURRENCY" \
    --latency-ms "$latency" --proxy "${PROXY_URL[$proxy_name]}" --dynamodb "$DYNAMO" --store-prefix "$PREFIX" \
    --pids "$pids" \
    --warm "$warm" --warmup "$WARMUP" --tx-ms "$TX_MS" --tx-rate "$TX_RATE" --get-rate "$GET_RATE" \
    --results "$WORK/results.tsv" ${RUSH_ARGS:-} || { FAILED=1; log "$label: FAILED (see above)"; }
}

# --- machine ---------------------------------------------------------------------------------------------

log "machine: $(machine_summary)"
log "runs: $RUNS; proxy transaction latency ${LATENCY_MS} ms; at most $CONCURRENCY requests in flight; \
(a) $A_STUDENTS students on 1 class of $A_CAPACITY; (b) $B_STUDENTS students on $B_CLASSES classes of $B_CAPACITY"
log "everything below (DynamoDB Local, Redis, broker, proxy, instances, load client) shares these $(nproc) cores"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null

# --- the shared stores -----------------------------------------------------------------------------------

start_java dynamodb dynamodb -cp "$CP" bench.RushBench dynamodb
DYNAMO=$URL
log "DynamoDB Local (in memory, own JVM) on $DYNAMO (pid ${PIDS[dynamodb]})"

# DynamoDB Local's own throughput, before anything else runs (an SDK client straight to it, seat-shaped transactions)
java -cp "$CP" bench.RushBench probe "$DYNAMO" "$PROBE_SECONDS" 2>"$WORK/probe.log" | tee "$WORK/probe.txt" \
  | sed 's/^/[rush] DynamoDB Local alone: /'
TX_MS=$(sed -n 's/^probe TransactWriteItems, 1 at a time: .*(mean \([0-9.]*\) ms each).*/\1/p' "$WORK/probe.txt")
TX_RATE=$(sed -n 's/^probe TransactWriteItems, 32 at a time: \([0-9]*\)\/s.*/\1/p' "$WORK/probe.txt")
GET_RATE=$(sed -n 's/^probe GetItem (consistent), 32 at a time: \([0-9]*\)\/s.*/\1/p' "$WORK/probe.txt")
if [ -z "$TX_MS" ] || [ -z "$TX_RATE" ] || [ -z "$GET_RATE" ]; then
  tail -20 "$WORK/probe.log" >&2
  die "the DynamoDB Local probe gave no figures"
fi

if command -v redis-server >/dev/null 2>&1; then
  start_redis "$WORK"
  PIDS[redis]=$REDIS_PID
  REDIS=redis://127.0.0.1:$REDIS_PORT
  log "redis-server $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on $REDIS (pid ${PIDS[redis]})"
else
  start_java redis redis -cp "$CP" bench.RushBench redis
  REDIS=$URL
  log "embedded redis-server on $REDIS (launcher pid ${PIDS[redis]})"
fi

start_java broker broker -cp "$CP" bench.RushBench broker
BROKER=$URL
log "AMQP broker (embedded Qpid, own JVM) on $BROKER (pid ${PIDS[broker]})"

declare -A PROXY_URL=()
if [[ " $RUNS " == *"-ref "* ]]; then
  start_java proxy-0ms "listening on" -cp "$CP" support.DynamoDbConflictProxy --target="$DYNAMO" \
    --transaction-latency-ms=0 --other-latency-ms=0
  PROXY_URL[proxy-0ms]=$URL
  log "conflict proxy at 0 ms on $URL (pid ${PIDS[proxy-0ms]})"
fi
if [[ " $RUNS " =~ \ (a1|b1|a2|b2|bw1|bwN)\  ]]; then
  start_java proxy "listening on" -cp "$CP" support.DynamoDbConflictProxy --target="$DYNAMO" \
    --transaction-latency-ms="$LATENCY_MS" --other-latency-ms=0
  PROXY_URL[proxy]=$URL
  log "conflict proxy at $LATENCY_MS ms per transaction on $URL (pid ${PIDS[proxy]})"
fi

# --- the runs --------------------------------------------------------------------------------------------

T0=$SECONDS
for run in $RUNS; do
  case $run in
    a-ref | b-ref)
      [ -n "${PIDS[svc-ref]:-}" ] || start_instance svc-ref "${PROXY_URL[proxy-0ms]}"
      ;;
    *)
      # the reference instance is done: stop it so it takes no CPU
      stop_named svc-ref
      [ -n "${PIDS[svc1]:-}" ] || start_instance svc1 "${PROXY_URL[proxy]}"
      if [[ $run == ?2 ]]; then
        [ -n "${PIDS[svc2]:-}" ] || start_instance svc2 "${PROXY_URL[proxy]}"
      fi
      ;;
  esac
  case $run in
    a-ref) rush "a-ref" proxy-0ms 0 "$A_STUDENTS" 1 "$A_CAPACITY" svc-ref ;;
    b-ref) rush "b-ref" proxy-0ms 0 "$B_STUDENTS" "$B_CLASSES" "$B_CAPACITY" svc-ref ;;
    a1) rush "a, 1 instance" proxy "$LATENCY_MS" "$A_STUDENTS" 1 "$A_CAPACITY" svc1 ;;
    b1) rush "b, 1 instance" proxy "$LATENCY_MS" "$B_STUDENTS" "$B_CLASSES" "$B_CAPACITY" svc1 ;;
    a2) rush "a, 2 instances" proxy "$LATENCY_MS" "$A_STUDENTS" 1 "$A_CAPACITY" svc1 svc2 ;;
    b2) rush "b, 2 instances" proxy "$LATENCY_MS" "$B_STUDENTS" "$B_CLASSES" "$B_CAPACITY" svc1 svc2 ;;
    bw1) RUSH_ARGS="--waves 1" rush "b, 1 window" proxy "$LATENCY_MS" "$B_STUDENTS" "$B_CLASSES" "$B_CAPACITY" svc1 ;;
    bwN) RUSH_ARGS="--waves $WAVES --gap $GAP" rush "b, $WAVES windows ${GAP} s apart" proxy "$LATENCY_MS" \
           "$B_STUDENTS" "$B_CLASSES" "$B_CAPACITY" svc1 ;;
  esac
done
log "runs took $((SECONDS - T0)) s"

# --- summary ---------------------------------------------------------------------------------------------

echo
echo "| run | instances | proxy latency | settled (s) | last seat (s) | bound S×L (s) | settled/bound |" \
  "bound with DynamoDB Local (s) | settled/that | p50 / p99 all (ms) | p50 / p99 201 (ms) | p50 / p99 202+409 (ms) |" \
  "201/202/409 full/503/other 5xx | forwarded | conflicts | attempts/seat | DynamoDB Local req/s | check |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
[ -f "$WORK/results.tsv" ] && while IFS=$'\t' read -r -a f; do
  printf '|'; printf ' %s |' "${f[@]}"; echo
done <"$WORK/results.tsv"
if [ -f "$WORK/waves.tsv" ]; then
  echo
  echo "| run | wave | window opens | students | settled after its opening (s) | p50 / p99 sent → answered (ms) |" \
    "p50 / p99 since its opening (ms) | 201/202/409/403/5xx or none |"
  echo "|---|---|---|---|---|---|---|---|"
  while IFS=$'\t' read -r -a f; do
    printf '|'; printf ' %s |' "${f[@]}"; echo
  done <"$WORK/waves.tsv"
fi
echo
for name in svc-ref svc1 svc2; do
  [ -f "$WORK/$name.log" ] || continue
  n=$(grep -cE ' (ERROR|WARN) ' "$WORK/$name.log" || true)
  log "$name log: $n WARN/ERROR lines"
  if [ "$n" -gt 0 ]; then
    # the distinct messages, most frequent first (time and thread left out)
    grep -E ' (ERROR|WARN) ' "$WORK/$name.log" | sed -E 's/^[0-9:.]+ +([A-Z]+) +\[[^]]*\] /\1 /' | cut -c1-300 \
      | sort | uniq -c | sort -rn | head -8
  fi
done
exit "$FAILED"
