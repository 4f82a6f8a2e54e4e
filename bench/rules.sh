#!/usr/bin/env bash
# Enroll+drop pairs under the registration rules (issue 26, item 8), against the issue's start in the same
# invocation: CLIENTS students, one request each at a time (bench/wrk/enroll-drop.lua, as bench/enrollment.sh's
# writes), enroll in and drop one class over and over, where every enroll has the four checks to do:
#
#   - the pair class (course BENCH 300, a seat for each student, 4 credits) meets MW 11:00-12:15 and F 11:00-11:50 and
#     has the prerequisites [["BENCH 100"], ["BENCH 101", "BENCH 102"]]; every student has completed BENCH 100 and
#     BENCH 102, imported by the registrar (POST /registrar/completed-courses, CSV), so both groups are met, the
#     second by its second course;
#   - every student is already enrolled in 4 other classes of 3 credits each (BENCH 201-204: MWF 08:00-08:50,
#     MWF 09:00-09:50, TR 08:00-09:15, TR 09:30-10:45), which do not conflict with each other nor with the pair
#     class: the time-conflict check compares each meeting with theirs, the duplicate-course check their courses,
#     and the credit check adds 12 + 4 = 16 under the default MAX_CREDITS of 18; every check passes.
#   - the students are real users (POST /registrar/users, with a password), the import's student check needs them;
#     their tokens are minted with the service's key (support.Tokens) for their ids, as the other scripts do.
#
# Before the measured run the script checks, on a build with the rules, that they are on: a bench student's
# registration shows 12 credits, a student without the completed courses is refused the pair class (409
# prerequisite-not-met) and a bench student is refused a class meeting MWF 08:30-09:20 (409 time-conflict).
#
# The issue's start (d1e1b84) has none of this: it refuses a class with credits, meetings or prerequisites (strict
# JSON: 400) and has no completed-courses import (404). It gets the same load minus what it cannot take: the same
# users, the same five classes without those three fields, the same 4 enrollments per student, no import, no checks.
# Which load each build got is found by asking it (a class with the fields, the import), and printed. A build that
# takes the fields but has no import yet (main before the student records were merged) gets meetings and credits
# but no prerequisites (no student could meet them): the output says so, and such a run is not issue 26's figure.
#
# Each build runs on a fresh service (bin/run, every store embedded, in memory), one after the other: setup, WARMUP of
# the same pairs (discarded; then every student's pair-class seat is dropped), DURATION measured. The ratio is each
# build's pairs/s over the first build's (the mean when a label runs more than once).
#
# Usage: bench/rules.sh [CLIENTS=32] [DURATION=20s] [WARMUP=10s]
#   RULES_JARS: "label=path.jar ..." in the order they run (default "start=/tmp/i26-start/target/enrollment-service.jar
#               now=target/enrollment-service.jar"); a label may come again, e.g. "start=A now=B now=B start=A" for
#               an alternating order; the first label is the reference of the ratio.
#   The issue's start is built aside with: git worktree add /tmp/i26-start d1e1b84 && (cd /tmp/i26-start &&
#   mvn -B -q package -DskipTests)
# Needs wrk, curl, openssl, JDK 17; about 2 × (40 s + WARMUP + DURATION) with the defaults.
source "$(dirname "$0")/lib.sh"
CLIENTS=${1:-32}
DURATION=${2:-20s}
WARMUP=${3:-10s}
JARS=${RULES_JARS:-start=/tmp/i26-start/target/enrollment-service.jar now=$ROOT/target/enrollment-service.jar}
for tool in wrk curl openssl java; do command -v "$tool" > /dev/null || die "$tool is not installed"; done
bench_classpath "$ROOT"

# class_body COURSE CAPACITY WITH_FIELDS CREDITS MEETINGS PREREQUISITES: the JSON of POST /registrar/classes
class_body() {
  local extra=''
  [ "$3" = yes ] && extra=",\"credits\":$4,\"meetings\":$5${6:+,\"prerequisites\":$6}"
  printf '{"department":"BENCH","courseCode":"%s","section":1,"title":"Rules load","instructorId":%s,"capacity":%s%s}' \
    "$1" "$INSTRUCTOR" "$2" "$extra"
}

# new_rules_class COURSE CAPACITY CREDITS MEETINGS [PREREQUISITES]: creates it as this build takes it; prints its id
new_rules_class() {
  api POST /registrar/classes "$REGISTRAR" "$(class_body "$1" "$2" "$FIELDS" "$3" "$4" "${5:-}")" | json_field id
}

# expect_refusal TOKEN CLASS CODE: an enroll answered 409 with that problem code, which changes nothing
expect_refusal() {
  local status
  status=$(api_status POST "/student/enrollments/$2" "$1")
  grep -q "\"$3\"" "$WORK/answer.json" && [ "$status" = 409 ] \
    || die "expected 409 $3, got $status $(cat "$WORK/answer.json")"
  echo "[rules]   refused as expected: $(tr -d '\n' < "$WORK/answer.json" | cut -c1-300)"
}

machine
echo "rules: $CLIENTS students, enroll+drop on a class with meetings and prerequisites, each student in 4 other" \
  "classes; warm-up $WARMUP, measured $DURATION; per build: $JARS"
RESULTS=()
run=0
for entry in $JARS; do
  run=$((run + 1))
  label=${entry%%=*}
  SERVICE_JAR=${entry#*=}
  [ -f "$SERVICE_JAR" ] || die "no jar at $SERVICE_JAR"
  echo "[rules] $label ($SERVICE_JAR): starting a fresh service"
  start_service
  setup_campus

  # the students: CLIENTS for the load and one more, the control who completed nothing; ids consecutive (tokens)
  mapfile -t IDS < <(new_users $((CLIENTS + 1)) "rules$run" Student)
  FIRST=${IDS[0]}
  [ "${#IDS[@]}" -eq $((CLIENTS + 1)) ] && [ "${IDS[-1]}" -eq $((FIRST + CLIENTS)) ] \
    || die "the students' ids are not consecutive: ${IDS[*]}"
  tokens "$FIRST" $((CLIENTS + 1)) > "$WORK/all-tokens"
  export BENCH_TOKENS="$WORK/tokens"
  head -n "$CLIENTS" "$WORK/all-tokens" > "$BENCH_TOKENS"
  CONTROL=$(tail -n 1 "$WORK/all-tokens")

  # what this build takes: a class with credits (400 on the issue's start), the completed-courses import (404 there)
  status=$(api_status POST /registrar/classes "$REGISTRAR" "$(class_body "BENCH 200" 1 yes 3 '[]')")
  case $status in
    201) FIELDS=yes ;;
    400) FIELDS=no ;;
    *) die "POST /registrar/classes with credits answered $status: $(cat "$WORK/answer.json")" ;;
  esac
  IMPORTED=no
  if [ "$FIELDS" = yes ]; then
    { echo 'studentId,courseCode'
      for id in "${IDS[@]:0:CLIENTS}"; do printf '%s,BENCH 100\n%s,BENCH 102\n' "$id" "$id"; done; } > "$WORK/completed.csv"
    status=$(api_status POST /registrar/completed-courses "$REGISTRAR" "@$WORK/completed.csv" text/csv)
    case $status in
      200) IMPORTED=yes ;;
      404) grep -q 'student-not-found' "$WORK/answer.json" && die "the import found no such student: $(cat "$WORK/answer.json")" ;;
      *) die "POST /registrar/completed-courses answered $status: $(cat "$WORK/answer.json")" ;;
    esac
  fi
  if [ "$FIELDS" = yes ] && [ "$IMPORTED" = yes ]; then
    LOAD="meetings, credits and prerequisites; $((2 * CLIENTS)) completed courses imported"
    PREREQUISITES='[["BENCH 100"],["BENCH 101","BENCH 102"]]'
  elif [ "$FIELDS" = yes ]; then
    LOAD="meetings and credits, NO prerequisites: this build has no POST /registrar/completed-courses (not issue 26's figure)"
    PREREQUISITES=''
  else
    LOAD="classes without credits, meetings or prerequisites (the build refuses them), no import: the issue's start"
    PREREQUISITES=''
  fi
  echo "[rules] $label: load: $LOAD"

  SCHEDULE=()
  SCHEDULE+=("$(new_rules_class "BENCH 201" "$CLIENTS" 3 '[{"days":"MWF","start":"08:00","end":"08:50"}]')")
  SCHEDULE+=("$(new_rules_class "BENCH 202" "$CLIENTS" 3 '[{"days":"MWF","start":"09:00","end":"09:50"}]')")
  SCHEDULE+=("$(new_rules_class "BENCH 203" "$CLIENTS" 3 '[{"days":"TR","start":"08:00","end":"09:15"}]')")
  SCHEDULE+=("$(new_rules_class "BENCH 204" "$CLIENTS" 3 '[{"days":"TR","start":"09:30","end":"10:45"}]')")
  PAIRS=$(new_rules_class "BENCH 300" "$CLIENTS" 4 \
    '[{"days":"MW","start":"11:00","end":"12:15"},{"days":"F","start":"11:00","end":"11:50"}]' "$PREREQUISITES")
  while read -r token; do
    for class in "${SCHEDULE[@]}"; do api POST "/student/enrollments/$class" "$token" > /dev/null; done
  done < "$BENCH_TOKENS"
  echo "[rules] $label: $CLIENTS students enrolled in classes ${SCHEDULE[*]}; the pair class is $PAIRS"

  if [ "$FIELDS" = yes ]; then
    api GET /student/registration "$(head -n 1 "$BENCH_TOKENS")" | grep -q '"credits":12' \
      || die "a bench student's registration does not show 12 credits: $(api GET /student/registration "$(head -n 1 "$BENCH_TOKENS")")"
    [ "$IMPORTED" = yes ] && expect_refusal "$CONTROL" "$PAIRS" prerequisite-not-met
    expect_refusal "$(head -n 1 "$BENCH_TOKENS")" \
      "$(new_rules_class "BENCH 299" 1 3 '[{"days":"MWF","start":"08:30","end":"09:20"}]')" time-conflict
  fi

  wrk -t"$CLIENTS" -c"$CLIENTS" -d"$WARMUP" -s "$ROOT/bench/wrk/enroll-drop.lua" "$BASE" -- "$PAIRS" > "$WORK/warmup.out"
  echo "[rules] $label: warm-up $(grep 'pairs/s' "$WORK/warmup.out")"
  sleep 1
  while read -r token; do api_status DELETE "/student/enrollments/$PAIRS" "$token" > /dev/null; done < "$BENCH_TOKENS"

  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "[rules] $label: load average before: $load_before"
  echo "== $label: enroll+drop pairs on class $PAIRS, $CLIENTS students at once, $DURATION"
  wrk -t"$CLIENTS" -c"$CLIENTS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/enroll-drop.lua" "$BASE" -- "$PAIRS" \
    | tee "$WORK/$run.out"
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  # wrk's requests/s over two (the Lua script's own line rounds to whole pairs)
  pairs=$(awk '$1 == "Requests/sec:" {printf "%.1f", $2 / 2}' "$WORK/$run.out")
  unexpected=$(sed -n 's/.*unexpected answers: \([0-9]*\)\(.*\)/\1\2/p' "$WORK/$run.out")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/$run.out")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$run.out")
  echo "[rules] $label: $(grep -cE ' (ERROR|WARN) ' "$WORK/service.log" || true) WARN/ERROR lines in the service log"
  grep -E ' (ERROR|WARN) ' "$WORK/service.log" | cut -c1-240 | sort | uniq -c | sort -rn | head -5 || true
  RESULTS+=("$label"$'\t'"$pairs"$'\t'"$p50"$'\t'"$p99"$'\t'"$unexpected"$'\t'"$load_before"$'\t'"$load_after"$'\t'"$LOAD")
  end_service
done

echo
echo "| run | build | pairs/s | p50 | p99 | unexpected answers | load average before → after | load |"
echo "|---|---|---|---|---|---|---|---|"
n=0
for row in "${RESULTS[@]}"; do
  n=$((n + 1))
  IFS=$'\t' read -r label pairs p50 p99 unexpected before after load <<< "$row"
  echo "| $n | $label | $pairs | $p50 | $p99 | $unexpected | $before → $after | $load |"
done
echo
printf '%s\n' "${RESULTS[@]}" | awk -F'\t' '
  { if (!($1 in sum)) order[++labels] = $1; sum[$1] += $2; count[$1]++ }
  END {
    reference = order[1]; base = sum[reference] / count[reference]
    for (i = 1; i <= labels; i++) {
      mean = sum[order[i]] / count[order[i]]
      printf "%s: %.1f pairs/s (mean of %d run%s), ratio to %s: %s\n", order[i], mean, count[order[i]],
        (count[order[i]] == 1 ? "" : "s"), reference, (base > 0 ? sprintf("%.2f", mean / base) : "n/a")
    }
  }'
