# Shared helpers of the bench scripts: start the jar with embedded stores on loopback, mint tokens with the
# service's own key (so hundreds of students cost no password hashing), call the API with curl.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=processes.sh
. "$ROOT/bench/processes.sh"
WORK=$(mktemp -d /tmp/enrollment-bench.XXXXXX)
# the first free port from BENCH_PORT (18090) up: other benchmarks may be running on the same machine
free_port PORT "${BENCH_PORT:-18090}"
BASE="http://127.0.0.1:$PORT"
SERVICE_PID=''
# the jar under test (SERVICE_JAR= another build, to compare two builds on the same machine)
SERVICE_JAR=${SERVICE_JAR:-$ROOT/target/enrollment-service.jar}

# end_service: stops the service started by start_service (TERM, up to 60 s: a jar's first run writes its class-data
# archive as it stops; then KILL); the work directory stays, so another build can be started next with the same key.
end_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID"
    for _ in $(seq 1 240); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=''
}

stop_service() {
  end_service
  rm -rf "$WORK"
}
trap stop_service EXIT

# start_service [VAR=value ...]: the jar as bin/run (the README's command) starts it, every store embedded and in
# memory (DATA_DIR=memory: with its default, ./data, DynamoDB Local writes its SQLite file to disk on every change,
# and writes measure the disk: 1,000 registration windows took 11.9 s on disk against 1.2 s in memory, one after the
# other on the development machine at load average 16-19) unless the caller's variables say otherwise, and without
# request limits (RATE_LIMIT_PER_SECOND=0, the contract's setting for a benchmark; builds without the limits ignore
# it); BENCH_JAVA_OPTS adds JVM options.
start_service() {
  [ -f "$SERVICE_JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
  [ -f "$WORK/key.pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/key.pem" 2>/dev/null
  (cd "$WORK" && exec env HTTP_PORT="$PORT" DEMO_DATA=false DATA_DIR=memory RATE_LIMIT_PER_SECOND=0 \
    JWT_PRIVATE_KEY_FILE="$WORK/key.pem" "$@" \
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

# api_status METHOD PATH TOKEN [BODY [CONTENT_TYPE=application/json]]: the answer's status code; its body in
# $WORK/answer.json (for a check of a refusal, or of a build that may not know the operation).
api_status() {
  curl -s -o "$WORK/answer.json" -w '%{http_code}' -X "$1" "$BASE$2" -H "Authorization: Bearer $3" \
    -H "Content-Type: ${5:-application/json}" ${4:+--data-binary "$4"}
}

json_field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

# new_class TOKEN CAPACITY: creates an instructor's class (instructor id 2 is created by setup_campus).
new_class() {
  api POST /registrar/classes "$1" \
    "{\"department\":\"BENCH\",\"courseCode\":\"BENCH $RANDOM$RANDOM\",\"section\":1,\"title\":\"Load\",\"instructorId\":$INSTRUCTOR,\"capacity\":$2}" \
    | json_field id
}

# registrar_login: sets REGISTRAR, the bootstrap registrar's token (POST /auth/login).
registrar_login() {
  REGISTRAR=$(curl -sf "$BASE/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"registrar","password":"registrar"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
}

setup_campus() {
  registrar_login
  INSTRUCTOR=$(api POST /registrar/users "$REGISTRAR" \
    '{"username":"bench-instructor","password":"bench-password","name":"Bench","roles":["Instructor"]}' | json_field id)
}

# new_users COUNT PREFIX ROLE [KIND=password]: COUNT real users with ROLE made by the registrar (REGISTRAR) with POST
# /registrar/users, 16 requests in flight (curl --parallel, in batches of 5,000), named PREFIX-1 … PREFIX-COUNT;
# prints their ids, sorted, one a line, and fails unless every one was created. KIND=password gives each a password (a
# PBKDF2 hash each, about 0.1 s of CPU: fine for tens of users); KIND=subject makes them users of the campus identity
# provider, created before their first sign-in (docs/api.md, POST /registrar/users without a password), so no hash is
# computed: thousands of students through the API (bench/import.sh IMPORT_STUDENTS=api; support.StoredStudents writes
# them faster, straight into the users table), which needs the service started with OIDC_ISSUER and OIDC_AUDIENCE (its
# own tokens never need the issuer; it tries to fetch its keys once at start, a WARN).
new_users() {
  local count=$1 prefix=$2 role=$3 kind=${4:-password} dir="$WORK/users-$2" i body first
  mkdir -p "$dir"
  : > "$dir/status.txt"
  for ((first = 1; first <= count; first += 5000)); do
    for ((i = first; i <= count && i < first + 5000; i++)); do
      if [ "$kind" = subject ]; then
        body="{\\\"username\\\":\\\"$prefix-$i\\\",\\\"name\\\":\\\"$prefix $i\\\",\\\"roles\\\":[\\\"$role\\\"],\\\"subject\\\":\\\"$prefix-$i\\\"}"
      else
        body="{\\\"username\\\":\\\"$prefix-$i\\\",\\\"password\\\":\\\"bench-password\\\",\\\"name\\\":\\\"$prefix $i\\\",\\\"roles\\\":[\\\"$role\\\"]}"
      fi
      ((i == first)) || echo next
      printf 'url = "%s"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\n' \
        "$BASE/registrar/users" "$REGISTRAR"
      printf 'data = "%s"\noutput = "%s"\nwrite-out = "%%{http_code}\\n"\n' "$body" "$dir/$i.json"
    done > "$dir/requests.curl"
    curl -s --parallel --parallel-max 16 -K "$dir/requests.curl" >> "$dir/status.txt" 2>> "$dir/curl.log"
  done
  rm -f "$dir/requests.curl"
  [ "$(grep -c '^201$' "$dir/status.txt")" -eq "$count" ] \
    || die "new_users $prefix: $(grep -vc '^201$' "$dir/status.txt") of $count not created: $(sort "$dir/status.txt" | uniq -c | tr '\n' ' ')"
  find "$dir" -name '*.json' -print0 | xargs -0 cat | grep -o '"id": *[0-9]*' | tr -dc '0-9\n' | sort -n
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
