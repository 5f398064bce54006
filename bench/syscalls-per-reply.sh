#!/usr/bin/env bash
# System calls and io_uring events per reply of each responder under a ping flood (perf tracepoints), in a
# network namespace of its own: whether two builds, or a build and c-uring, make the same calls per packet. Needs
# root and perf (Debian's linux-perf); c-uring needs ../shared/bench's uring_ms_echo, built by run.sh into
# /tmp/tunbench-build (or set UM). Backs the syscall counts in docs/benchmarks.md.
#
#   bench/syscalls-per-reply.sh c-uring "main=target/tunecho.jar:--transport io_uring"
#   WINDOW=1 COUNT=100000 bench/syscalls-per-reply.sh "f4=/tmp/tunecho-at-f409634/tunecho.jar:--transport epoll"
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/syscalls-per-reply.sh c-uring|NAME=JAR[:ARGS]..." >&2; exit 2; }
command -v perf >/dev/null || { echo "needs perf (apt-get install linux-perf)" >&2; exit 1; }
. "$(dirname "$0")/lib/netns.sh" "$@"
UM=${UM:-/tmp/tunbench-build/uring_ms_echo}
COUNT=${COUNT:-300000}
EVENTS=syscalls:sys_enter_io_uring_enter,syscalls:sys_enter_write,syscalls:sys_enter_read
EVENTS=$EVENTS,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_pwait2
EVENTS=$EVENTS,syscalls:sys_enter_futex,io_uring:io_uring_submit_req,io_uring:io_uring_complete,context-switches
out=$(mktemp /tmp/tunecho-syscalls.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -f "$out"' EXIT
for spec in "$@"; do
  case $spec in
    c-uring)
      [ -x "$UM" ] || { echo "no $UM: run ../shared/bench/run.sh c-uring once, or set UM" >&2; exit 1; }
      "$UM" -d tunsc 2>/dev/null & pid=$!
      for _ in $(seq 50); do ip link show tunsc >/dev/null 2>&1 && break; sleep 0.1; done
      ip addr add 10.77.0.1/24 dev tunsc; ip link set tunsc up ;;
    *=*)
      rest=${spec#*=}; jar=${rest%%:*}; args=; [[ $rest == *:* ]] && args=${rest#*:}
      # shellcheck disable=SC2086 # args is a list
      java -jar "$jar" $args --interface tunsc --address 10.77.0.1/24 >/dev/null 2>&1 & pid=$! ;;
    *) echo "not a responder: $spec" >&2; exit 2 ;;
  esac
  for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
  for _ in $(seq "${WARM:-4}"); do ping -f -c 100000 -l "${WINDOW:-64}" -q 10.77.0.2 >/dev/null; done
  perf stat -x, -e "$EVENTS" -p $pid -o "$out" &
  perf=$!
  sleep 0.2
  ping -f -c "$COUNT" -l "${WINDOW:-64}" -q 10.77.0.2 >/dev/null
  kill -INT $perf; wait $perf 2>/dev/null || true
  echo "== ${spec%%=*}: per reply, ping -f -l ${WINDOW:-64}"
  grep -v '^#' "$out" | awk -F, -v n="$COUNT" 'NF > 2 && $1 > 0 { printf "  %-40s %.3f\n", $3, $1 / n }'
  kill $pid; wait $pid 2>/dev/null || true
  pid=
  sleep 0.3
done
