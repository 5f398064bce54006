#!/usr/bin/env bash
# System calls per reply, and by thread at idle, of one or more builds: the evidence behind "the same system calls
# per reply as f409634" and "an idle start wakes its control thread" in docs/benchmarks.md. Per jar: a start with
# config/jvm.options in a network namespace of its own (needs root), `strace -c -f` over 20,000 replies at W64
# (ping -f -l 64, after a warm-up flood), then `strace -f` of 5 idle seconds counted by thread.
#
#   bench/syscalls.sh /work/bench-jars/f409634.jar target/tunecho.jar      # ARGS="--transport epoll" by default
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/syscalls.sh JAR..." >&2; exit 2; }
. "$(dirname "$0")/lib/netns.sh" "$@"
WORK=$(mktemp -d /tmp/tunecho-syscalls.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$WORK"' EXIT
for jar in "$@"; do
  name=$(basename "$jar" .jar)
  java @config/jvm.options -jar "$jar" ${ARGS:---transport epoll} --interface tunsc --address 10.77.0.1/24 \
    >"$WORK/out" 2>&1 &
  pid=$!
  for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
  ping -f -c 20000 -l 64 -q 10.77.0.2 >/dev/null                       # warm-up
  strace -f -c -p $pid -o "$WORK/count" & st=$!
  sleep 1
  ping -f -c 20000 -l 64 -q 10.77.0.2 | grep transmitted | sed "s/^/$name: /"
  kill -INT $st; wait $st || true
  echo "$name: system calls over 20,000 replies (calls, name):"
  awk '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ {print "  " $4, $NF}' "$WORK/count" | sort -rn | head -8
  sleep 3
  timeout 5 strace -f -e 'trace=!read,write' -p $pid -o "$WORK/idle" || true
  for t in /proc/$pid/task/*; do echo "$(basename "$t") $(cat "$t/comm")"; done >"$WORK/threads"
  echo "$name: 5 idle seconds, $(wc -l <"$WORK/idle") lines, by thread:"
  awk '{print $1}' "$WORK/idle" | sort | uniq -c | sort -rn | head -6 | while read -r n tid; do
    echo "  $n $(grep "^$tid " "$WORK/threads" | cut -d' ' -f2-)"; done
  kill -TERM $pid; wait $pid 2>/dev/null || true
  pid=
done
