#!/usr/bin/env bash
# Whether a build has a slow mode from one start to the next (the JIT can settle into another shape): N rounds of
# fresh starts of each jar, alternating, each warmed up with 300,000 replies at W64 and then timed over 300,000
# more, with the CPU ticks (user + system, 1/100 s) that the responder took for them. Needs root; runs in a network
# namespace of its own.
#
#   N=4 bench/fresh-starts.sh /tmp/tunecho-at-f409634/tunecho.jar target/tunecho.jar
#   ARGS="--transport io_uring" bench/fresh-starts.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/fresh-starts.sh JAR..." >&2; exit 2; }
. "$(dirname "$0")/lib/netns.sh" "$@"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq "${N:-4}"); do
  for jar in "$@"; do
    java ${JVM_ARGS-} -jar "$jar" ${ARGS:---transport epoll} --interface tunfs --address 10.77.0.1/24 \
      >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
    for _ in 1 2 3; do ping -f -c 100000 -l 64 -q 10.77.0.2 >/dev/null; done
    before=$(ticks $pid)
    took=$(ping -f -c 300000 -l 64 -q 10.77.0.2 | grep -o "time [0-9]*ms")
    echo "round $round $jar: 300000 replies, $took, $(( $(ticks $pid) - before )) CPU ticks"
    kill $pid; wait $pid 2>/dev/null || true
    pid=
  done
done
