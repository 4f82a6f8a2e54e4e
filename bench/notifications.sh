#!/usr/bin/env bash
# The notification pipeline against a real RabbitMQ and Redis (Debian's rabbitmq-server and redis-server, started
# here on free loopback-only ports like .ci/run does; DynamoDB stays embedded in the service): events/s from
# auto-enrollment to webhook received and email accepted, and latency from the enrollment change to the webhook.
#
# Usage (as root, from anywhere): bench/notifications.sh [RATE=200] [DURATION=20] [B_CONCURRENCY=32] [C_RATE=1000]
#   phase A: drops at RATE/s for DURATION s (latency, open loop)
#   phase B: B_CONCURRENCY drop loops for DURATION s (throughput of the whole pipeline, API included)
#   phase C: events published straight to the `notify` exchange at C_RATE/s for DURATION s (the delivery side
#            alone: email and webhook consumers; 0 = as fast as the broker confirms)
#   BENCH_JAVA_OPTS: JVM options of the service; BENCH_ARGS: more options of bench.NotifyBench
#   (bench/java/bench/NotifyBench.java; e.g. "--phases AB", "--b-classes 400", "--c-email false"; see its usage line).
# Needs target/enrollment-service.jar (mvn -B -q package -DskipTests). The bench program runs from the classes the
# build compiled (bench_classpath in processes.sh; compiled with mvn test-compile when missing).
# Everything it starts is stopped by PID on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RATE=${1:-200}
DURATION=${2:-20}
B_CONCURRENCY=${3:-32}
C_RATE=${4:-1000}
JAR=$ROOT/target/enrollment-service.jar

log() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=processes.sh
. "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

if [ ! -f "$JAR" ]; then
  die "$JAR is missing; build it first: mvn -B -q package -DskipTests"
fi
for tool in redis-server redis-cli rabbitmq-server rabbitmqctl epmd openssl curl java; do
  command -v "$tool" >/dev/null 2>&1 \
    || die "$tool is not installed (apt-get install redis-server rabbitmq-server openssl curl)"
done

# Unset what would point the service elsewhere; DynamoDB stays embedded (in-process DynamoDB Local).
unset DYNAMODB_ENDPOINT SMTP_HOST SMTP_PORT REDIS_URL RABBITMQ_URL ROUTES_RELOAD_DIRECTORY

WORK=$(mktemp -d /tmp/notify-bench.XXXXXX)
chmod 0755 "$WORK"   # rabbitmq runs as user rabbitmq and must reach its directory
JAR_PID='' REDIS_PID='' RABBIT_PID='' EPMD_PID='' BENCH_PID=''
RABBIT_PIDFILE=$WORK/rabbitmq/rabbit.pid

# --- processes (as .ci/run) ------------------------------------------------------------------

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ "$rc" -ne 0 ] && [ -f "$WORK/service.log" ]; then
    echo "----- last 60 lines of the service log -----" >&2
    tail -n 60 "$WORK/service.log" >&2
  fi
  [ -z "$BENCH_PID" ] || stop_pid "$BENCH_PID" "bench program" 10
  [ -z "$JAR_PID" ] || stop_pid "$JAR_PID" enrollment-service 20
  if [ -n "$RABBIT_PID" ]; then
    local beam=''
    [ -r "$RABBIT_PIDFILE" ] && beam=$(tr -dc 0-9 <"$RABBIT_PIDFILE")
    if alive "$beam" || alive "$RABBIT_PID"; then
      log "stopping rabbitmq"
      timeout 60 rabbitmqctl -q -n rabbit@localhost stop ${beam:+"$RABBIT_PIDFILE"} >/dev/null 2>&1
    fi
    [ -z "$beam" ] || stop_pid "$beam" "rabbitmq VM" 15
    stop_pid "$RABBIT_PID" "rabbitmq-server wrapper" 10
  fi
  [ -z "$REDIS_PID" ] || stop_pid "$REDIS_PID" redis-server 10
  [ -z "$EPMD_PID" ] || stop_pid "$EPMD_PID" epmd 5
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- machine ---------------------------------------------------------------------------------

log "machine: $(machine_summary), redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//'), \
rabbitmq-server $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo '?')"
log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (the servers, the service and the bench \
all share these cores)"

# --- redis and rabbitmq on loopback ----------------------------------------------------------

start_redis "$WORK"
log "redis-server on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"

free_port EPMD_PORT 14369
free_port AMQP_PORT 15673
free_port DIST_PORT 25673
mkdir -p "$WORK/rabbitmq/mnesia" "$WORK/rabbitmq/log"
echo '[].' >"$WORK/rabbitmq/enabled_plugins"
chown -R rabbitmq:rabbitmq "$WORK/rabbitmq"
export ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=$EPMD_PORT
epmd -address 127.0.0.1 -port "$EPMD_PORT" </dev/null >"$WORK/epmd.log" 2>&1 &
EPMD_PID=$!
for ((i = 0; i < 40; i++)); do
  epmd -port "$EPMD_PORT" -names >/dev/null 2>&1 && break
  alive "$EPMD_PID" || { cat "$WORK/epmd.log" >&2; die "epmd exited"; }
  sleep 0.25
done
export RABBITMQ_NODENAME=rabbit@localhost \
       RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
       RABBITMQ_NODE_PORT=$AMQP_PORT \
       RABBITMQ_DIST_PORT=$DIST_PORT \
       RABBITMQ_MNESIA_BASE=$WORK/rabbitmq/mnesia \
       RABBITMQ_LOG_BASE=$WORK/rabbitmq/log \
       RABBITMQ_PID_FILE=$RABBIT_PIDFILE \
       RABBITMQ_ENABLED_PLUGINS_FILE=$WORK/rabbitmq/enabled_plugins \
       RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
       RABBITMQ_CTL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
rabbitmq-server </dev/null >"$WORK/rabbitmq.out" 2>&1 &
RABBIT_PID=$!
deadline=$((SECONDS + 120))
until timeout 60 rabbitmqctl -q -n rabbit@localhost await_startup --timeout 60 >"$WORK/await.log" 2>&1; do
  if ! alive "$RABBIT_PID" || ((SECONDS >= deadline)); then
    cat "$WORK/await.log" "$WORK/rabbitmq.out" >&2
    die "rabbitmq did not start within 120s"
  fi
  sleep 1
done
log "rabbitmq on 127.0.0.1:$AMQP_PORT (epmd $EPMD_PORT, dist $DIST_PORT, wrapper pid $RABBIT_PID, \
VM pid $(tr -dc 0-9 <"$RABBIT_PIDFILE"))"

# --- the service -----------------------------------------------------------------------------

free_port HTTP_PORT 18180
free_port SMTP_PORT 13025
free_port HOOK_PORT 18280
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
BASE=http://127.0.0.1:$HTTP_PORT
# Run from WORK: from the source tree the service would watch src/main/resources/camel for reloads.
(cd "$WORK" && exec env HTTP_HOST=127.0.0.1 HTTP_PORT="$HTTP_PORT" DEMO_DATA=false WEBHOOK_ALLOW_PRIVATE_NETWORKS=true \
   REDIS_URL="redis://127.0.0.1:$REDIS_PORT" RABBITMQ_URL="amqp://guest:guest@127.0.0.1:$AMQP_PORT/" \
   SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT" JWT_PRIVATE_KEY_FILE="$WORK/key.pem" \
   java ${BENCH_JAVA_OPTS:-} -jar "$JAR") </dev/null >"$WORK/service.log" 2>&1 &
JAR_PID=$!
t0=$SECONDS
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/observe/health" || true)" = 200 ]; do
  alive "$JAR_PID" || die "the service exited before becoming healthy"
  ((SECONDS - t0 < 120)) || die "GET /observe/health not 200 within 120s"
  sleep 0.5
done
log "service on $BASE (pid $JAR_PID, ${BENCH_JAVA_OPTS:-default JVM options}) healthy after $((SECONDS - t0))s"

# --- the bench -------------------------------------------------------------------------------

bench_classpath "$ROOT"
log "phase A: $RATE drops/s for ${DURATION}s; phase B: $B_CONCURRENCY drop loops for ${DURATION}s; \
phase C: $C_RATE events/s into the exchange for ${DURATION}s"
java -cp "$BENCH_CP" bench.NotifyBench --base "$BASE" --key "$WORK/key.pem" --smtp-port "$SMTP_PORT" \
  --hook-port "$HOOK_PORT" --amqp "amqp://guest:guest@127.0.0.1:$AMQP_PORT" --rate "$RATE" --duration "$DURATION" \
  --b-concurrency "$B_CONCURRENCY" --c-rate "$C_RATE" ${BENCH_ARGS:-} &
BENCH_PID=$!
rc=0
wait "$BENCH_PID" || rc=$?
BENCH_PID=''
if grep -qE ' (ERROR|WARN) ' "$WORK/service.log"; then
  log "service log warnings/errors (first 10):"
  grep -E ' (ERROR|WARN) ' "$WORK/service.log" | head -10
fi
exit "$rc"
