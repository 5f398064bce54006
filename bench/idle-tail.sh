#!/usr/bin/env bash
# Where the idle round trip's tail comes from (issue #22, item 4). Runs three responders one after the other, each
# in a network namespace of its own and pinned with its pinger to CPU 0 as run.sh's PIN=same does: c-tun (the C
# blocking loop), the Java floor (example's PingAnswerer: tunecho's transport and one handler that answers in place,
# nothing else), and tunecho (the server jar, epoll, default config). Each is warmed up (floods for about 10 s, then
# 3 s idle), then pinged COUNT times at 10 ms while `perf record` notes every context switch on every CPU. The report
# gives p50 and p99, and splits the pings by whether they were sent in the 20 ms after the kernel's DAMON thread
# (kdamond, the platform's memory monitor, which samples every 500 ms on these machines) ran: their median, and the
# p99 of the others, and how many of the others' slowest 1% were answered while a JIT compiler thread held CPU 0.
# Needs root, perf, and a build (./mvnw -B -q install -DskipTests).
#
#   bench/idle-tail.sh            # 400 pings each
#   bench/idle-tail.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-400}
if [ "${TUNECHO_TAIL_NS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "needs root (network namespaces and TUN devices)" >&2; exit 1; }
  command -v perf >/dev/null || { echo "needs perf" >&2; exit 1; }
  build=${BENCH_BUILD:-/tmp/tunbench-build}
  if [ ! -x "$build/tun_echo" ]; then
    mkdir -p "$build"
    gcc -O2 -pthread -o "$build/tun_echo" "$root/../shared/bench/src/tun_echo.c"
  fi
  jar=$root/target/tunecho.jar
  . bench/lib/floor.sh
  floor_args x y z >/dev/null # a missing build stops here
  work=$(mktemp -d /tmp/tunecho-tail.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  run() { TUNECHO_TAIL_NS=1 unshare --net "$0" "$count" "$work/$1" "${@:2}"; }
  run c-tun bash -c "ip tuntap add dev tunt mode tun && ip addr add 10.77.0.1/24 dev tunt && ip link set tunt up \
    && exec $build/tun_echo tunt"
  # shellcheck disable=SC2046 # the floor's arguments are a list
  run java-floor java $(floor_args tunt 10.77.0.1/24 epoll)
  run tunecho java -jar "$jar" --transport epoll --interface tunt --address 10.77.0.1/24
  exit 0
fi

# In the namespace: $2 is where this responder's files go, the rest its command.
out=$2; shift 2
ip link set lo up
"$@" >"$out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
taskset -a -p -c 0 $pid >/dev/null
p() { taskset -c 0 ping -n -q "$@" 10.77.0.2 >/dev/null 2>&1 || true; }
p -f -l 1 -w 1; p -f -l 64 -w 1
for _ in 1 2; do p -f -l 64 -w 3; p -f -l 1 -w 2; done
sleep 3
python3 -c 'import time; print(time.time() - time.clock_gettime(time.CLOCK_MONOTONIC))' >"$out.offset"
secs=$(( count / 100 + 3 ))
perf record -q -a -e sched:sched_switch -k CLOCK_MONOTONIC -o "$out.perf" -- sleep "$secs" >/dev/null 2>&1 &
rec=$!
sleep 0.3
taskset -c 0 ping -D -n -c "$count" -i 0.01 -W 1 10.77.0.2 >"$out.ping"
wait $rec || true
perf script -i "$out.perf" -F cpu,time,trace 2>/dev/null >"$out.sched"
python3 - "$out" "$(basename "$out")" <<'EOF'
import re, sys
out, name = sys.argv[1], sys.argv[2]
offset = float(open(out + '.offset').read())
runs, start = [], {}
jit, jstart = [], {}  # the JIT's compiler threads on CPU 0, where the responder runs
for line in open(out + '.sched'):
    m = re.match(r'\s*\[(\d+)\]\s+([\d.]+):\s+prev_comm=(.+?) prev_pid.*next_comm=(.+?) next_pid', line)
    if not m:
        continue
    cpu, t = int(m.group(1)), float(m.group(2)) + offset
    if m.group(4).startswith('kdamond'):
        start[cpu] = t
    if m.group(3).startswith('kdamond') and cpu in start:
        runs.append((start.pop(cpu), t, cpu))
    if cpu == 0 and 'CompilerThre' in m.group(4):
        jstart[0] = t
    if cpu == 0 and 'CompilerThre' in m.group(3) and 0 in jstart:
        jit.append((jstart.pop(0), t))
pings = []
for line in open(out + '.ping'):
    m = re.match(r'\[(\d+\.\d+)\].*time=([\d.]+) ms', line)
    if m:
        rtt = float(m.group(2))
        pings.append((float(m.group(1)) - rtt / 1000, rtt))
def q(v, f):
    v = sorted(v)
    return v[min(len(v) - 1, int(f * len(v) + 0.999999) - 1)] * 1000 if v else float('nan')
after = [r for s, r in pings if any(0 <= s - e <= 0.020 for b, e, c in runs)]
other = [(s, r) for s, r in pings if not any(0 <= s - e <= 0.020 for b, e, c in runs)]
# of the other pings, the slowest 1%: how many were answered while a compiler thread held CPU 0
slowest = sorted(other, key=lambda x: -x[1])[:max(1, len(other) // 100)]
held = sum(1 for s, r in slowest if any(b < s + r / 1000 and e > s for b, e in jit))
other = [r for s, r in other]
span = (pings[-1][0] - pings[0][0]) if pings else 0
passes = [x for x in runs if pings and pings[0][0] - 0.02 <= x[0] <= pings[-1][0]]
ran = sum(e - b for b, e, c in passes) * 1000
on0 = sum(1 for x in passes if x[2] == 0)
print(f'{name:11s} {len(pings)} replies: p50 {q([r for s, r in pings], .5):4.0f} us, p99 {q([r for s, r in pings], .99):4.0f} us | '
      f'kdamond ran {len(passes)} times in {span:.1f} s ({ran:.1f} ms, {on0} on CPU 0) | '
      f'{len(after)} pings sent within 20 ms after it: median {q(after, .5):4.0f} us | '
      f'the other {len(other)}: p99 {q(other, .99):4.0f} us, of their slowest {len(slowest)} {held} while the JIT '
      f'compiled on CPU 0 ({sum(e - b for b, e in jit) * 1000:.1f} ms in all)')
EOF
