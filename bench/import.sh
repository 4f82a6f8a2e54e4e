#!/usr/bin/env bash
# The registrar's import of completed courses (issue 26, item 8: 100,000 rows, aim ≤ 10 s), with the import of
# registration windows as the reference measured in the same run (issue 21's import: the same kind of file, validated
# whole, each row naming a student who must exist; it is in every build since issue 21).
#
#   - ROWS students are made first, real users with the Student role (the imports refuse a student who does not
#     exist), in one of two ways (IMPORT_STUDENTS); the time it takes is printed; it is set-up, not a figure:
#       store  (the default) their user rows written straight into the service's users table by support.StoredStudents
#              (BatchWriteItem), as the tests and bench/rush.sh make thousands of students: the row POST
#              /registrar/users writes for a user without a password, with the Student role; ids from 10,000,001 (far
#              above the service's own counter); the table is found through the address the embedded DynamoDB Local
#              logs, and STORE_PREFIX=bench-import-;
#       api    POST /registrar/users, 16 at a time, as users of the campus identity provider created before their
#              first sign-in (no password, so no PBKDF2 hash of 0.1 s each, which would make 100,000 students take
#              hours on 2 cores); the service is then started with OIDC_ISSUER (an https URL on loopback where nothing
#              listens: it tries to fetch the keys once as it starts, one WARN in its log, and needs them only for the
#              issuer's own tokens, of which none is sent) and OIDC_AUDIENCE. Minutes for 100,000 (73 a second at
#              load average 12), against seconds for the store.
#     Every store is embedded and in memory (bench/lib.sh).
#   - each run times, with curl's time_total (the whole request: upload of the file, validation, the student check,
#     the writes, the answer), one after the other, in an order that alternates between runs:
#       completed  POST /registrar/completed-courses, text/csv "studentId,courseCode": the first ROWS / COURSES
#                  students, COURSES courses each (default 20,000 × 5 = 100,000 rows: a term's grades), courses new
#                  in every run (BENCH R<run>C<k>), so every run adds ROWS rows;
#       windows    POST /registrar/registration-windows, text/csv "studentId,opensAt,closesAt": one window for each
#                  of the ROWS students (a student has one window, so 100,000 rows need 100,000 students), other
#                  times in every run, so every run rewrites every window.
#   Both answers are checked (200, "imported" as many as the rows); a run of any other answer stops the script. A
#   build without the completed-courses import (404: the issue's start, or main before the student records were
#   merged) gets the windows only, and the output says so.
#
# Usage: bench/import.sh [ROWS=100000] [COURSES=5] [RUNS=3]
#   SERVICE_JAR: another build (default target/enrollment-service.jar); COURSES=1 makes the completed-courses file
#   name the same 100,000 students as the windows' file.
#   IMPORT_STUDENTS: store (default) or api, how the students are made (above).
# Before the timed runs, one import of each kind of a tenth of the rows warms the service up (not timed).
# Needs curl, openssl, JDK 17 (and the compiled test classes: bench_classpath builds them when missing).
source "$(dirname "$0")/lib.sh"
ROWS=${1:-100000}
COURSES=${2:-5}
RUNS=${3:-3}
[[ $ROWS =~ ^[0-9]+$ && $COURSES =~ ^[0-9]+$ && $RUNS =~ ^[0-9]+$ && $COURSES -ge 1 && $ROWS -ge $COURSES ]] \
  || die "usage: bench/import.sh [ROWS=100000] [COURSES=5] [RUNS=3]"
STUDENTS=$((ROWS / COURSES))
COMPLETED_ROWS=$((STUDENTS * COURSES))

machine
echo "import: $COMPLETED_ROWS completed courses ($STUDENTS students × $COURSES) against $ROWS registration" \
  "windows ($ROWS students), runs: $RUNS; jar $SERVICE_JAR"
started=$(date +%s%N)
case ${IMPORT_STUDENTS:-store} in
  store)
    start_service STORE_PREFIX=bench-import-
    registrar_login
    bench_classpath "$ROOT"
    dynamodb=$(sed -n 's/.*Embedded DynamoDB Local.* listening on \(http[^ ]*\).*/\1/p' "$WORK/service.log" | head -n 1)
    [ -n "$dynamodb" ] || die "no address of the embedded DynamoDB Local in the service's log"
    started=$(date +%s%N)
    java -cp "$BENCH_CP" support.StoredStudents "$dynamodb" bench-import- 10000001 "$ROWS"
    seq 10000001 $((10000000 + ROWS)) > "$WORK/ids"
    how="written into the users table"
    ;;
  api)
    free_port ISSUER_PORT 18443
    start_service OIDC_ISSUER="https://127.0.0.1:$ISSUER_PORT/bench-issuer" OIDC_AUDIENCE=enrollment-bench
    registrar_login
    started=$(date +%s%N)
    new_users "$ROWS" import Student subject > "$WORK/ids"
    how="made with POST /registrar/users"
    ;;
  *) die "IMPORT_STUDENTS is store or api, not '$IMPORT_STUDENTS'" ;;
esac
[ "$(wc -l < "$WORK/ids")" -eq "$ROWS" ] || die "$(wc -l < "$WORK/ids") students made, not $ROWS"
awk -v n="$ROWS" -v ns=$(($(date +%s%N) - started)) -v how="$how" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
  'BEGIN { printf "[import] set-up: %d students %s in %.1f s (%.0f a second); load average now %s\n", n, how, ns / 1e9, n / (ns / 1e9), load }'

# the files of every run, written before any is timed; the completed courses' rows of run r name the courses BENCH
# R<r>C<k>
for ((r = 1; r <= RUNS; r++)); do
  head -n "$STUDENTS" "$WORK/ids" | awk -v r="$r" -v k="$COURSES" \
    'BEGIN { print "studentId,courseCode" } { for (i = 1; i <= k; i++) printf "%s,BENCH R%dC%d\n", $1, r, i }' \
    > "$WORK/completed-$r.csv"
  awk -v r="$r" 'BEGIN { print "studentId,opensAt,closesAt" }
    { printf "%s,2031-%02d-%02dT%02d:00:00Z,2031-%02d-28T17:00:00Z\n", $1, (r - 1) % 12 + 1, NR % 20 + 1, NR % 10 + 8, (r - 1) % 12 + 1 }' \
    "$WORK/ids" > "$WORK/windows-$r.csv"
done
echo "[import] files: $(du -h "$WORK/completed-1.csv" | cut -f1) of completed courses, $(du -h "$WORK/windows-1.csv" | cut -f1) of windows a run"

# timed_import KIND PATH FILE ROWS: POSTs the file as text/csv; prints its time_total in seconds, or "none" when
# this build has no such import; stops the script on any other answer than 200 with every row imported
timed_import() {
  local out status seconds imported
  out=$(curl -s -o "$WORK/answer.json" -w '%{http_code} %{time_total}' --max-time 900 -X POST "$BASE$2" \
    -H "Authorization: Bearer $REGISTRAR" -H 'Content-Type: text/csv' --data-binary "@$3")
  status=${out% *}
  seconds=${out#* }
  if [ "$status" = 404 ] && ! grep -q 'student-not-found' "$WORK/answer.json"; then
    echo none
    return
  fi
  imported=$(json_field imported < "$WORK/answer.json")
  [ "$status" = 200 ] && [ "$imported" = "$4" ] \
    || die "$1: $status after $seconds s, imported '$imported' of $4: $(head -c 400 "$WORK/answer.json")"
  echo "$seconds"
}

# does this build check that the students exist? One row naming a user id nobody has: 400 when it does (what the
# contract asks; the timed imports then include the check), 200 when it does not (the row is stored)
ghost=$(($(tail -n 1 "$WORK/ids") + 1000000))
for check in "completed-courses studentId,courseCode $ghost,BENCH GHOST" \
  "registration-windows studentId,opensAt $ghost,2031-01-01T08:00:00Z"; do
  read -r path header row <<< "$check"
  status=$(api_status POST "/registrar/$path" "$REGISTRAR" "$(printf '%s\n%s\n' "$header" "$row")" text/csv)
  grep -q 'student-not-found' "$WORK/answer.json" && status=400
  case $status in
    400) echo "[import] POST /registrar/$path checks the students: a row naming no user is refused ($(json_field status < "$WORK/answer.json"))" ;;
    200) echo "[import] POST /registrar/$path does NOT check the students: a row naming no user was imported" ;;
    404) echo "[import] POST /registrar/$path: none in this build (404)" ;;
    *) die "POST /registrar/$path with a row naming no user answered $status: $(cat "$WORK/answer.json")" ;;
  esac
done

# warm-up, not timed: a tenth of the rows of each kind (courses of their own, BENCH W<k>; windows of another year), so
# no timed run is the first on a cold JVM
WARM=$((ROWS / 10))
head -n $((WARM + 1)) "$WORK/completed-1.csv" | sed 's/,BENCH R1C/,BENCH W/' > "$WORK/completed-warm-up.csv"
head -n $((WARM + 1)) "$WORK/windows-1.csv" | sed 's/2031-/2030-/g' > "$WORK/windows-warm-up.csv"
warm=$(timed_import completed /registrar/completed-courses "$WORK/completed-warm-up.csv" "$WARM")
echo "[import] warm-up: completed courses, $WARM rows: $warm s; registration windows, $WARM rows:" \
  "$(timed_import windows /registrar/registration-windows "$WORK/windows-warm-up.csv" "$WARM") s"

RESULTS=()
t_completed=none
t_windows=none
for ((r = 1; r <= RUNS; r++)); do
  if ((r % 2 == 1)); then order="completed windows"; else order="windows completed"; fi
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  for kind in $order; do
    if [ "$kind" = completed ]; then
      t_completed=$(timed_import completed /registrar/completed-courses "$WORK/completed-$r.csv" "$COMPLETED_ROWS")
      echo "[import] run $r: completed courses, $COMPLETED_ROWS rows: ${t_completed} s"
    else
      t_windows=$(timed_import windows /registrar/registration-windows "$WORK/windows-$r.csv" "$ROWS")
      echo "[import] run $r: registration windows, $ROWS rows: ${t_windows} s"
    fi
  done
  RESULTS+=("$r"$'\t'"$order"$'\t'"$t_completed"$'\t'"$t_windows"$'\t'"$load_before"$'\t'"$(cut -d' ' -f1-3 /proc/loadavg)")
done

first=$(head -n 1 "$WORK/ids")
if [ "$t_completed" != none ]; then
  stored=$(api GET "/registrar/students/$first/completed-courses" "$REGISTRAR" | grep -o '"BENCH R[0-9]*C[0-9]*"' | wc -l)
  [ "$stored" -eq $((RUNS * COURSES)) ] || die "student $first has $stored of the $((RUNS * COURSES)) courses imported"
  echo "[import] student $first lists the $stored courses imported"
else
  echo "[import] this build has no POST /registrar/completed-courses (404): the registration windows only"
fi
echo "[import] $(grep -cE ' (ERROR|WARN) ' "$WORK/service.log" || true) WARN/ERROR lines in the service log"
grep -E ' (ERROR|WARN) ' "$WORK/service.log" | cut -c1-240 | sort | uniq -c | sort -rn | head -5 || true

echo
echo "| run | order | completed courses, $COMPLETED_ROWS rows (s) | registration windows, $ROWS rows (s) | ratio | load average before → after |"
echo "|---|---|---|---|---|---|"
for row in "${RESULTS[@]}"; do
  IFS=$'\t' read -r r order completed windows before after <<< "$row"
  ratio=n/a
  [ "$completed" != none ] && ratio=$(awk -v c="$completed" -v w="$windows" 'BEGIN { printf "%.2f", c / w }')
  echo "| $r | ${order// / then } | $completed | $windows | $ratio | $before → $after |"
done
