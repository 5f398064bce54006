#!/usr/bin/env bash
# The CPU a build takes at idle right after it starts: two rounds of fresh starts of each jar, alternating, each
# pinged 500 times at 10 ms (no warm-up: what run.sh's latency phase sees), with the CPU ticks (user + system,
# 1/100 s) the responder took meanwhile and ping's summary. Needs root; runs in a network namespace of its own.
#
#   bench/idle-cpu.sh /tmp/tunecho-at-c3b1254/tunecho.jar target/tunecho.jar    # io_uring by default
#   ARGS="--transport epoll" bench/idle-cpu.sh ...
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/idle-cpu.sh JAR..." >&2; exit 2; }
if [ "${TUNECHO_IDLE_NS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "needs root (a network namespace and a TUN device)" >&2; exit 1; }
  exec env TUNECHO_IDLE_NS=1 unshare --net "$0" "$@"
fi
ip link set lo up
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in 1 2; do
  for jar in "$@"; do
    java ${JVM_ARGS-} -jar "$jar" ${ARGS:---transport io_uring} --interface tunic --address 10.77.0.1/24 \
      >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
    sleep 1
    before=$(ticks $pid)
    summary=$(ping -c 500 -i 0.01 -q 10.77.0.2 | tail -1)
    echo "round $round $jar: $(( $(ticks $pid) - before )) CPU ticks for 500 pings; $summary"
    kill $pid; wait $pid 2>/dev/null || true
    pid=
  done
done
