#!/usr/bin/env bash
# How precisely a configured delay holds, as a user sees it with ping: every host 10 ms late
# (bench/configs/delay10.yaml), 1,000 pings at 500 a second and 100 at 20 a second, tunecho and the C reference
# bench/c/delay_echo.c (epoll, one absolute timerfd) taking turns, ROUNDS rounds. Prints, per responder and rate,
# the round trips' minimum, p50, p99 and how many came back before 10 ms (ping prints times of 10 ms and more to
# 0.1 ms, so the percentiles are to 0.1 ms; the minimum comes from its summary line, to 1 us, in DelayFloorIT).
# Runs as root inside a network namespace of its own; every ping is bounded in count.
#
#   bench/delay-precision.sh [ROUNDS]               # default 3; target/tunecho.jar
#   JAR=/tmp/before.jar ARGS="--transport io_uring" bench/delay-precision.sh 3
#   WARMUP=1000 bench/delay-precision.sh 3           # first 1,000 unmeasured pings at 500/s to each responder
#
# Without WARMUP the measured pings are the first a fresh start answers, as a user's first test would be: tunecho's
# figures then include its JIT compiling the delayed path while it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
JAR=${JAR:-$PWD/target/tunecho.jar}
[ "$(id -u)" = 0 ] || { echo "delay-precision: needs root (a network namespace and TUN devices)" >&2; exit 1; }
if [ "${DELAY_PRECISION_NS:-}" != 1 ]; then
  exec env DELAY_PRECISION_NS=1 unshare --net "$0" "$@"
fi
ip link set lo up
WORK=$(mktemp -d /tmp/tunecho-delay.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$WORK"' EXIT
gcc -O2 -Wall -o "$WORK/delay_echo" bench/c/delay_echo.c
wait_reply() { for _ in $(seq 300); do ping -n -c 1 -W 0.1 "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
measure() { # name address: one line per rate, the round trips in ms
  [ "${WARMUP:-0}" -gt 0 ] && ping -n -q -c "$WARMUP" -i 0.002 -W 1 "$2" >/dev/null
  ping -n -c 1000 -i 0.002 -W 1 "$2" | sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | tr '\n' ' ' | sed "s/^/$1 500\/s: /"; echo
  ping -n -c 100 -i 0.05 -W 1 "$2" | sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | tr '\n' ' ' | sed "s/^/$1 20\/s: /"; echo
}
for r in $(seq "$ROUNDS"); do
  ip tuntap add tundc mode tun
  ip addr add 10.78.0.1/24 dev tundc
  ip link set tundc up
  "$WORK/delay_echo" 10000 tundc >/dev/null 2>&1 & pid=$!
  wait_reply 10.78.0.2 && measure c-delay 10.78.0.2 >>"$WORK/times"
  kill $pid; wait $pid 2>/dev/null || true; pid=
  ip link del tundc
  java -jar "$JAR" ${ARGS:-} --config bench/configs/delay10.yaml --interface tundj --address 10.79.0.1/24 \
    >"$WORK/tunecho.log" 2>&1 & pid=$!
  wait_reply 10.79.0.2 && measure tunecho 10.79.0.2 >>"$WORK/times" || { cat "$WORK/tunecho.log" >&2; exit 1; }
  kill $pid; wait $pid 2>/dev/null || true; pid=
done
python3 - "$WORK/times" <<'PY'
import sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    key, _, values = line.partition(': ')
    if values.strip():
        runs[key].append([float(v) for v in values.split()])
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(p / 100 * len(v)))]
print('%-18s %5s %8s %8s %8s %10s' % ('responder, rate', 'runs', 'min ms', 'p50 ms', 'p99 ms', '< 10 ms'))
for key, rs in runs.items():
    med = lambda f: sorted(f(r) for r in rs)[len(rs) // 2]
    early = sum(sum(1 for t in r if t < 10.0) for r in rs)
    total = sum(len(r) for r in rs)
    print('%-18s %5d %8.3f %8.3f %8.3f %5d/%d' % (key, len(rs), min(min(r) for r in rs), med(lambda r: pct(r, 50)),
          med(lambda r: pct(r, 99)), early, total))
print('(p50 and p99: the median over the runs of each run\'s percentile)')
PY
