#!/usr/bin/env bash
# How fast does it start: launch -> first 200 of GET /observe/health, and the JVM's resident memory (RSS) then,
# for the two jars (docs/operations.md "Deploying"), RUNS runs each, interleaved (stand-alone, lean, stand-alone,
# lean, ...) so that both see the same machine load:
#   stand-alone  target/enrollment-service.jar, every store embedded (bin/run, the one-command run);
#   lean         target/enrollment-service-lean.jar against the same stand-ins started once, beforehand, in a JVM
#                of their own (the stores a deployment reaches over the network);
#   stand-alone, stores set   target/enrollment-service.jar against those same stores: the weight of the bigger
#                class path alone, without starting the stand-ins.
# Each run starts from an empty directory with bin/run's JVM options and no class data sharing archive (a first
# start), and with DEMO_DATA=false (the demo catalogue loads after health is UP and would only add to the RSS).
# Usage: bench/startup.sh [RUNS=3]   (mvn -B -q package -DskipTests first; needs curl)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
STAND_ALONE=$ROOT/target/enrollment-service.jar
LEAN=$ROOT/target/enrollment-service-lean.jar

log() { printf '[startup] %s\n' "$*"; }
die() { printf '[startup] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=processes.sh
. "$ROOT/bench/processes.sh"

for jar in "$STAND_ALONE" "$LEAN"; do
  [ -f "$jar" ] || die "$jar is missing: mvn -B -q package -DskipTests"
done

WORK=$(mktemp -d /tmp/enrollment-startup.XXXXXX)
STORES_PID='' SERVICE_PID=''
cleanup() {
  local rc=$?
  set +e
  [ -z "$SERVICE_PID" ] || stop_pid "$SERVICE_PID" "the service" 20
  [ -z "$STORES_PID" ] || stop_pid "$STORES_PID" "the stores" 20
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
log "jars: stand-alone $(($(stat -c %s "$STAND_ALONE") / 1048576)) MB, lean $(($(stat -c %s "$LEAN") / 1048576)) MB"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the stores of the lean runs: the stand-ins, in a JVM of their own ------------------------------------------
# The stand-alone jar's own classes (embedded/EmbeddedStores) start them, in memory, on free loopback ports, and
# print the variables that point at them.
cat >"$WORK/Stores.java" <<'JAVA'
import config.Settings;
import embedded.EmbeddedStores;
import java.util.Map;

public class Stores {
    public static void main(String[] args) throws Exception {
        Settings stores = EmbeddedStores.startMissing(Settings.from(Map.of("DATA_DIR", Settings.IN_MEMORY))).settings();
        System.out.println("DYNAMODB_ENDPOINT=" + stores.dynamoDbEndpoint());
        System.out.println("REDIS_URL=" + stores.redisUrl());
        System.out.println("RABBITMQ_URL=" + stores.rabbitMqUrls().get(0));
        System.out.println("SMTP_HOST=" + stores.smtpHost());
        System.out.println("SMTP_PORT=" + stores.smtpPort());
        System.out.println("ready");
        Thread.currentThread().join();
    }
}
JAVA
(cd "$WORK" && exec java -Xmx512m -cp "$STAND_ALONE" "$WORK/Stores.java") >"$WORK/stores.out" 2>&1 &
STORES_PID=$!
for ((i = 0; i < 240; i++)); do
  grep -q '^ready$' "$WORK/stores.out" && break
  alive "$STORES_PID" || { tail -30 "$WORK/stores.out" >&2; die "the stores did not start"; }
  sleep 0.5
done
grep -q '^ready$' "$WORK/stores.out" || die "the stores did not start within 120 s"
mapfile -t STORES < <(grep -E '^(DYNAMODB_ENDPOINT|REDIS_URL|RABBITMQ_URL|SMTP_HOST|SMTP_PORT)=' "$WORK/stores.out")
log "stores (pid $STORES_PID): ${STORES[*]}"

# run LABEL JAR [VAR=value ...]: one start from an empty directory; prints "LABEL: N ms, M MB".
run() {
  local label=$1 jar=$2 dir started up rss code
  shift 2
  dir=$(mktemp -d "$WORK/run.XXXXXX")
  free_port PORT 18095
  started=$(date +%s%N)
  (cd "$dir" && exec env -u DYNAMODB_ENDPOINT -u REDIS_URL -u RABBITMQ_URL -u SMTP_HOST -u SMTP_PORT \
     HTTP_PORT="$PORT" DEMO_DATA=false STORE_PREFIX="s$RANDOM-" "$@" \
     java -Xms32m -Xmx256m -XX:+UseSerialGC -jar "$jar") </dev/null >"$dir/service.log" 2>&1 &
  SERVICE_PID=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/observe/health" || true)
    [ "$code" = 200 ] && break
    alive "$SERVICE_PID" || { tail -30 "$dir/service.log" >&2; die "$label exited before health was UP"; }
    sleep 0.05
  done
  up=$((($(date +%s%N) - started) / 1000000))
  rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$SERVICE_PID/status")
  stop_pid "$SERVICE_PID" "$label" 20 >/dev/null
  SERVICE_PID=''
  RESERVED_PORTS=' '
  printf '%s: %s ms, %s MB\n' "$label" "$up" "$rss" | tee -a "$WORK/results"
}

for i in $(seq 1 "$RUNS"); do
  run "stand-alone, every store embedded" "$STAND_ALONE" DATA_DIR=memory
  run "lean, stores set" "$LEAN" "${STORES[@]}"
  run "stand-alone, stores set" "$STAND_ALONE" "${STORES[@]}"
done
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| jar | launch → health UP | RSS at UP |"
echo "|---|---|---|"
for label in "stand-alone, every store embedded" "lean, stores set" "stand-alone, stores set"; do
  times=$(grep "^$label:" "$WORK/results" | awk '{print $(NF-3)/1000 " s"}' | paste -sd, - | sed 's/,/, /g')
  mems=$(grep "^$label:" "$WORK/results" | awk '{print $(NF-1) " MB"}' | paste -sd, - | sed 's/,/, /g')
  echo "| $label | $times | $mems |"
done
