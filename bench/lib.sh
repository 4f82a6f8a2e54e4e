# Shared helpers of the bench scripts: start the jar with embedded stores on loopback, mint tokens with the
# service's own key (so hundreds of students cost no password hashing), call the API with curl.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=processes.sh
. "$ROOT/bench/processes.sh"
WORK=$(mktemp -d /tmp/enrollment-bench.XXXXXX)
PORT=${BENCH_PORT:-18090}
BASE="http://127.0.0.1:$PORT"
SERVICE_PID=''
# the jar under test (SERVICE_JAR= another build, to compare two builds on the same machine)
SERVICE_JAR=${SERVICE_JAR:-$ROOT/target/enrollment-service.jar}

stop_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID"
    for _ in $(seq 1 80); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$SERVICE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap stop_service EXIT

# start_service [VAR=value ...]: the jar as bin/run (the README's command) starts it, every store embedded unless the
# caller's variables say otherwise; BENCH_JAVA_OPTS adds JVM options.
start_service() {
  [ -f "$SERVICE_JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
  [ -f "$WORK/key.pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
  (cd "$WORK" && exec env HTTP_PORT="$PORT" DEMO_DATA=false JWT_PRIVATE_KEY_FILE="$WORK/key.pem" "$@" \
    JAVA_OPTS="${BENCH_JAVA_OPTS:-}" SERVICE_JAR="$SERVICE_JAR" "$ROOT/bin/run" > "$WORK/service.log" 2>&1) &
  SERVICE_PID=$!
  for _ in $(seq 1 240); do
    curl -sf "$BASE/observe/health" > /dev/null 2>&1 && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    sleep 0.25
  done
  tail -50 "$WORK/service.log"; echo "the service did not come up" >&2; exit 1
}

# tokens FIRST_ID COUNT [ROLE=Student]: COUNT RS256 access tokens, one a line, for the users FIRST_ID onwards,
# signed with the service's key by support.Tokens (the tests' own minting).
tokens() {
  [ -n "${BENCH_CP:-}" ] || bench_classpath "$ROOT"
  java -cp "$BENCH_CP" support.Tokens "$WORK/key.pem" "$@"
}

# api METHOD PATH TOKEN [BODY]: the answer's body; fails on a 4xx/5xx.
api() {
  curl -sf -X "$1" "$BASE$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}
}

json_field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

# new_class TOKEN CAPACITY: creates an instructor's class (instructor id 2 is created by setup_campus).
new_class() {
  api POST /registrar/classes "$1" \
    "{\"department\":\"BENCH\",\"courseCode\":\"BENCH $RANDOM$RANDOM\",\"section\":1,\"title\":\"Load\",\"instructorId\":$INSTRUCTOR,\"capacity\":$2}" \
    | json_field id
}

setup_campus() {
  REGISTRAR=$(curl -sf "$BASE/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"registrar","password":"registrar"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  INSTRUCTOR=$(api POST /registrar/users "$REGISTRAR" \
    '{"username":"bench-instructor","password":"bench-password","name":"Bench","roles":["Instructor"]}' | json_field id)
}

# waiting_student: a full class of 1 with one student waiting; sets FULL (the class) and exports BENCH_TOKEN
# (the waiting student), the client of the waiting-list reads.
waiting_student() {
  FULL=$(new_class "$REGISTRAR" 1)
  local seated
  { read -r seated; read -r BENCH_TOKEN; } < <(tokens 1000001 2)
  export BENCH_TOKEN
  api POST "/student/enrollments/$FULL" "$seated" > /dev/null
  api POST "/student/enrollments/$FULL" "$BENCH_TOKEN" > /dev/null
}

# warm_up PATH: 10 s of the same load, discarded, so the figures are of a JIT-compiled service, not a cold one.
warm_up() {
  wrk -t2 -c32 -d10s -s "$ROOT/bench/wrk/get.lua" "$BASE" -- "$1" > /dev/null
}

machine() {
  echo "machine: $(machine_summary)"
}

# etag PATH: the ETag the service answers the waiting student (BENCH_TOKEN) on PATH, for If-None-Match.
etag() {
  curl -sf -D - -o /dev/null "$BASE$1" -H "Authorization: Bearer $BENCH_TOKEN" \
    | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'
}
