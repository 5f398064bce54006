#!/usr/bin/env bash
# The CPU a build takes at idle right after it starts: two rounds of fresh starts of each jar, alternating, each
# pinged 500 times at 10 ms (no warm-up: what run.sh's latency phase sees), with the CPU ticks (user + system,
# 1/100 s) the responder took meanwhile and the pings' p50 and p99. With WARM=N, each start is first warmed up (N
# floods of 100,000 pings at 64 outstanding and 20,000 at 1) and left idle for 3 s: the idle tail of a warm JVM.
# Responder and pinger run on CPU 0, as run.sh's PIN=same. Needs root; runs in a network namespace of its own.
#
#   bench/idle-cpu.sh /tmp/tunecho-at-c3b1254/tunecho.jar target/tunecho.jar    # io_uring by default
#   ARGS="--transport epoll" bench/idle-cpu.sh ...
#   WARM=3 ARGS="--transport epoll" bench/idle-cpu.sh target/tunecho.jar
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/idle-cpu.sh JAR..." >&2; exit 2; }
. "$(dirname "$0")/lib/netns.sh" "$@"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in 1 2; do
  for jar in "$@"; do
    taskset -c 0 java ${JVM_ARGS-} -jar "$jar" ${ARGS:---transport io_uring} --interface tunic \
      --address 10.77.0.1/24 >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
    for _ in $(seq "${WARM:-0}"); do
      taskset -c 0 ping -f -c 100000 -l 64 -q 10.77.0.2 >/dev/null
      taskset -c 0 ping -f -c 20000 -l 1 -q 10.77.0.2 >/dev/null
    done
    [ "${WARM:-0}" -gt 0 ] && sleep 3 || sleep 1
    before=$(ticks $pid)
    rtts=$(taskset -c 0 ping -n -c 500 -i 0.01 10.77.0.2 | grep -o 'time=[0-9.]*' | cut -d= -f2 | sort -n)
    n=$(echo "$rtts" | wc -l)
    echo "round $round $jar: $(( $(ticks $pid) - before )) CPU ticks for 500 pings; $n replies," \
      "p50 $(echo "$rtts" | sed -n "$((n / 2))p") ms, p99 $(echo "$rtts" | sed -n "$((n * 99 / 100))p") ms"
    kill $pid; wait $pid 2>/dev/null || true
    pid=
  done
done
