#!/usr/bin/env bash
# What probe tracking costs in memory: tunecho answers a /15, then 65,536 of its addresses get one echo
# request (a raw socket, paced, bounded in count and time). Prints the tracked count (from /api/probes), the heap
# the tracking holds (live heap after a full GC, after minus before, per tracked address) and the process's RSS
# before and after. Runs as root inside a network namespace it creates and removes.
#
#   bench/probe-sweep.sh                 # target/tunecho.jar
#   JAR=/tmp/other.jar JAVA_OPTS=-Xmx64m bench/probe-sweep.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-$PWD/target/tunecho.jar}
COUNT=${COUNT:-65536}
[ "$(id -u)" = 0 ] || { echo "probe-sweep: needs root (it makes a network namespace)" >&2; exit 1; }
if [ "${PROBE_SWEEP_NS:-}" != 1 ]; then
  exec env PROBE_SWEEP_NS=1 unshare --net "$0" "$@"
fi
ip link set lo up
WORK=$(mktemp -d /tmp/tunecho-sweep.XXXXXX)
PORT=9481
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$WORK"' EXIT
java ${JAVA_OPTS:-} -jar "$JAR" --interface tunsweep --address 10.80.0.1/15 --http 127.0.0.1:$PORT >"$WORK/log" 2>&1 &
pid=$!
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$WORK/log" >&2; exit 1; }
  sleep 0.1
done
live() { # bytes of live objects (the class histogram collects first)
  jcmd $pid GC.class_histogram | awk '/^Total/ { print $3 }'
}
rss() { awk '/VmRSS/ { print $2 * 1024 }' /proc/$pid/status; }
heap0=$(live); rss0=$(rss)
timeout 120 python3 - "$COUNT" <<'PY'
import socket, struct, sys, time
count = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
def checksum(b):
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff); t += t >> 16
    return ~t & 0xffff
start = time.time()
for i in range(count):
    a = 256 + i                     # 10.80.1.0 upwards: 65,536 host addresses of the /15, none its broadcast
    addr = '10.%d.%d.%d' % (80 + (a >> 16), (a >> 8) & 0xff, a & 0xff)
    body = struct.pack('!BBHHH', 8, 0, 0, 0x5eed, i & 0xffff) + b'sweep-sweep-'
    body = body[:2] + struct.pack('!H', checksum(body)) + body[4:]
    s.sendto(body, (addr, 0))
    if i % 1000 == 999:
        time.sleep(0.1)             # paced: under 10k a second, well under what one queue answers
print('sent %d requests in %.1f s' % (count, time.time() - start), file=sys.stderr)
PY
for _ in $(seq 100); do
  tracked=$(curl -sf "http://127.0.0.1:$PORT/api/probes?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["matched"])') \
    || { tail -20 "$WORK/log" >&2; exit 1; }
  [ "$tracked" -ge $((COUNT - 3)) ] && break
  sleep 0.1
done
heap1=$(live); rss1=$(rss)
echo "tracked addresses: $tracked"
echo "live heap: $((heap0 / 1024)) KB -> $((heap1 / 1024)) KB, $(((heap1 - heap0) / tracked)) bytes per tracked address"
echo "RSS: $((rss0 / 1048576)) MB -> $((rss1 / 1048576)) MB"
