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

# machine_summary: cores (CPU model), memory and Java version, for the first line of every benchmark's output.
machine_summary() {
  printf '%s cores (%s), %s, %s' "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)" "$(java -version 2>&1 | head -1)"
}

# start_redis DIR: Debian's redis-server on a free 127.0.0.1 port, nothing persisted, its files in DIR/redis and its
# log in DIR/redis.log; sets REDIS_PORT and REDIS_PID once it answers PING.
start_redis() {
  local dir=$1 i
  free_port REDIS_PORT 16379
  mkdir -p "$dir/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --save '' --appendonly no \
    --dir "$dir/redis" --daemonize no </dev/null >"$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  for ((i = 0; i < 80; i++)); do
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0
    alive "$REDIS_PID" || { cat "$dir/redis.log" >&2; die "redis-server exited"; }
    sleep 0.25
  done
  die "redis-server did not answer on 127.0.0.1:$REDIS_PORT"
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
