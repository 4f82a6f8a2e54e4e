# Process, port and class path helpers shared by the benchmark scripts (sourced; the caller defines log and die).
# The same rules as .ci/run: every process is stopped by its PID, every port is a free one on 127.0.0.1.

# bench_classpath ROOT: sets BENCH_CP, the class path of the benchmark programs (bench/java, package bench) as the
# build compiles them: target/test-classes (the programs and src/test/java/support), target/classes and the
# test-scope dependencies listed in target/bench-classpath.txt. Compiles them first when missing (MVN_ARGS, e.g.
# -o, goes to that mvn call).
bench_classpath() {
  local root=$1
  if [ ! -f "$root/target/test-classes/bench/RushBench.class" ] || [ ! -s "$root/target/bench-classpath.txt" ]; then
    echo "[bench] compiling the benchmark programs: mvn test-compile" >&2
    (cd "$root" && mvn -B -q ${MVN_ARGS:-} test-compile)
  fi
  BENCH_CP="$root/target/test-classes:$root/target/classes:$(cat "$root/target/bench-classpath.txt")"
}

# True while PID runs; a zombie (exited, not yet reaped) counts as gone.
alive() {
  local stat
  [ -n "${1:-}" ] && stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}

# stop_pid PID NAME GRACE_SECONDS: TERM, wait up to GRACE, then KILL; reaps it if it is our child.
stop_pid() {
  local pid=$1 name=$2 grace=$3 i
  if alive "$pid"; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 4; i++)); do alive "$pid" || break; sleep 0.25; done
    if alive "$pid"; then
      log "$name did not stop within ${grace}s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 20; i++)); do alive "$pid" || break; sleep 0.25; done
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

RESERVED_PORTS=' '
port_busy() {
  if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port VAR PREFERRED: the first port >= PREFERRED that nothing listens on and that was not handed out yet.
free_port() {
  local p=$2
  while port_busy "$p" || [[ $RESERVED_PORTS == *" $p "* ]]; do
    p=$((p + 1))
    ((p < 65000)) || die "no free port from $2 up"
  done
  RESERVED_PORTS+="$p "
  printf -v "$1" '%s' "$p"
}
