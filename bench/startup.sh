#!/usr/bin/env bash
# Launch -> first 200 of GET /observe/health, and the JVM's resident memory once the demo catalogue is loaded,
# for a launch command, RUNS times, every store embedded, from an empty directory.
# Usage: bench/startup.sh [RUNS=3] [COMMAND...] (default: bin/run; e.g. bench/startup.sh 3 java -jar target/enrollment-service.jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
shift || true
[ $# -gt 0 ] || set -- "$ROOT/bin/run"
PORT=${BENCH_PORT:-18095}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: $*"
for run in $(seq 1 "$RUNS"); do
  dir=$(mktemp -d /tmp/enrollment-startup.XXXXXX)
  started=$(date +%s%N)
  (cd "$dir" && exec env HTTP_PORT="$PORT" "$@" > "$dir/service.log" 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/observe/health" > /dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/service.log"; exit 1; }
    sleep 0.05
  done
  up=$(( ($(date +%s%N) - started) / 1000000 ))
  for _ in $(seq 1 200); do grep -q "loaded the demo catalogue" "$dir/service.log" && break; sleep 0.1; done
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  rss=$(ps -o rss= -p "$java_pid" | awk '{print int($1 / 1024)}')
  echo "run $run: launch -> health UP $up ms, RSS after start $rss MB"
  kill -TERM "$pid"
  for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -rf "$dir"
done
