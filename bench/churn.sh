#!/usr/bin/env bash
# Churn on one class (issue 17's soak, shortened): STUDENTS students cycle enroll / read / drop / leave on a class
# of CAPACITY seats for SECONDS, while the service promotes waiting students into the freed seats
# (bench/java/bench/ChurnBench.java is the client: one thread per student). Reports, per build, the drops' p50 / p99 /
# max and the longest request of any kind. Each build runs in turn on a fresh service (bin/run, every store
# embedded), so two builds compare in one run on the same machine.
#
# Usage: bench/churn.sh [SECONDS=60] [STUDENTS=16] [CAPACITY=8]
#   CHURN_JARS: "label=path.jar ..." (default: "branch=target/enrollment-service.jar"), e.g.
#               CHURN_JARS="main=/tmp/main/target/enrollment-service.jar branch=target/enrollment-service.jar"
# Needs JDK 17, curl, openssl.
source "$(dirname "$0")/lib.sh"
SECONDS_TO_RUN=${1:-60}
STUDENTS=${2:-16}
CAPACITY=${3:-8}
JARS=${CHURN_JARS:-branch=$ROOT/target/enrollment-service.jar}
bench_classpath "$ROOT"

machine
echo "churn: $STUDENTS students on a class of $CAPACITY for ${SECONDS_TO_RUN}s, per build: $JARS"
RESULTS=()
for entry in $JARS; do
  label=${entry%%=*}
  SERVICE_JAR=${entry#*=}
  [ -f "$SERVICE_JAR" ] || { echo "no jar at $SERVICE_JAR" >&2; exit 1; }
  start_service
  setup_campus
  CLASS=$(new_class "$REGISTRAR" "$CAPACITY")
  tokens 3000001 "$STUDENTS" > "$WORK/tokens"
  echo "[churn] $label: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$BENCH_CP" bench.ChurnBench --base "$BASE" --class "$CLASS" --tokens "$WORK/tokens" \
    --seconds "$SECONDS_TO_RUN" --label "$label" | tee "$WORK/$label.out"
  RESULTS+=("$(grep '^RESULT' "$WORK/$label.out")")
  echo "[churn] $label: $(grep -c 'BlockedThreadChecker' "$WORK/service.log" || true) blocked-thread warnings," \
    "$(grep -cE ' (ERROR|WARN) ' "$WORK/service.log" || true) WARN/ERROR lines in the service log;" \
    "class at the end: $(api GET "/registrar/classes/$CLASS" "$REGISTRAR" | sed 's/.*\("enrolled":[0-9]*\).*\("waitlisted":[0-9]*\).*/\1 \2/')"
  grep -E ' (ERROR|WARN) ' "$WORK/service.log" | cut -c1-240 | sort | uniq -c | sort -rn | head -5 || true
  # the next build gets a fresh service (the work directory, with the key, stays)
  kill -TERM "$SERVICE_PID"
  for _ in $(seq 1 80); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=''
done

echo
echo "| build | drops | drop p50 (ms) | drop p99 (ms) | drop max (ms) | longest request (ms) | requests | unexpected answers |"
echo "|---|---|---|---|---|---|---|---|"
for row in "${RESULTS[@]}"; do
  IFS=$'\t' read -r _ label drops p50 p99 max longest requests unexpected <<< "$row"
  echo "| $label | $drops | $p50 | $p99 | $max | $longest | $requests | $unexpected |"
done
