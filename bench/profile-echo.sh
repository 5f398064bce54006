#!/usr/bin/env bash
# Where a build's CPU goes under a W64 flood: `perf record` (cpu-clock: these VMs have no hardware counters) over
# 200,000 replies after 300,000 of warm-up, with the JIT's perf map, reported by thread and by shared object; and
# the CPU time the flood cost (perf stat task-clock). Backs "where the epoll path's extra CPU goes" in
# docs/benchmarks.md. Needs root and perf; runs in a network namespace of its own.
#
#   bench/profile-echo.sh /work/bench-jars/f409634.jar target/tunecho.jar     # ARGS="--transport epoll" by default
#   SYMBOLS=40 bench/profile-echo.sh ...                                     # also the 40 hottest symbols
#   JVM_ARGS= WARM=10 COUNT=300000 bench/profile-echo.sh ...    # java -jar's defaults, 1M warm-up, 300k profiled
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/profile-echo.sh JAR..." >&2; exit 2; }
. "$(dirname "$0")/lib/netns.sh" "$@"
WORK=$(mktemp -d /tmp/tunecho-profile.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$WORK"' EXIT
for jar in "$@"; do
  name=$(basename "$jar" .jar)
  java ${JVM_ARGS-@config/jvm.options} -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer \
    -jar "$jar" ${ARGS:---transport epoll} --interface tunpf --address 10.77.0.1/24 >"$WORK/out" 2>&1 &
  pid=$!
  for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
  for _ in $(seq "${WARM:-3}"); do ping -f -c 100000 -l 64 -q 10.77.0.2 >/dev/null; done
  perf record -F 4999 -g -p $pid -o "$WORK/perf.data" -- sleep 60 >/dev/null 2>&1 & rec=$!
  perf stat -e task-clock -p $pid -o "$WORK/stat" -- sleep 60 >/dev/null 2>&1 & st=$!
  sleep 0.5
  ping -f -c "${COUNT:-200000}" -l 64 -q 10.77.0.2 | grep transmitted | sed "s/^/$name: /"
  kill -INT $st $rec; wait $st $rec || true
  kill -TERM $pid; wait $pid 2>/dev/null || true   # the perf map is written at exit
  pid=
  echo "$name: $(grep task-clock "$WORK/stat" | awk '{print $1}') ms of CPU for ${COUNT:-200000} replies"
  for key in comm dso; do
    echo "$name: samples by $key:"
    perf report -i "$WORK/perf.data" --no-children --sort $key --stdio -g none 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | head -6 | sed 's/^/  /'
  done
  if [ -n "${SYMBOLS:-}" ]; then   # SYMBOLS=N: the N hottest symbols of the event loop thread, JIT-compiled included
    echo "$name: hottest symbols:"
    perf report -i "$WORK/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | head -"$SYMBOLS" | sed 's/^/  /' || true   # head closes the pipe early
  fi
done
