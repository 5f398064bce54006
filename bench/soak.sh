#!/usr/bin/env bash
# Soak run: tunecho under mixed traffic, reloads and admin API changes for a while, its resources sampled; fails when
# heap (after a full GC), RSS, file descriptors or threads grow. Runs as root, entirely inside a network namespace
# it creates and removes; every load is bounded in count and time.
#
#   bench/soak.sh [MINUTES]        default 30; CI runs the short form, bench/soak.sh 2
#   TRANSPORT=epoll bench/soak.sh 30   a transport of its own (default: the config's, auto)
#
# tunecho starts as README's quick start starts it (./tunecho, with config/jvm.options). From 10 minutes on, RSS must
# also level off: at most 10 MB more at the end than at minute 5.
#
# Needs target/tunecho.jar (./mvnw -B -q package -DskipTests), ping, curl, python3, jcmd (the JDK's).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-30}
SECONDS_TOTAL=$((MINUTES * 60))
JAR=${JAR:-$PWD/target/tunecho.jar}
NS=soak$$
WORK=$(mktemp -d /tmp/tunecho-soak.XXXXXX)
TOKEN=soak-token-1234
PORT=9480
[ "$(id -u)" = 0 ] || { echo "soak: needs root (it makes a network namespace)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "soak: $JAR is missing; run ./mvnw -B -q package -DskipTests" >&2; exit 1; }

cleanup() {
  set +e
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null; done
  sleep 1
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
in_ns() { nsenter --net=/run/netns/"$NS" "$@"; }
in_ns ip link set lo up

cat > "$WORK/a.yaml" <<Y
interface: { name: tunsoak, address: 198.18.99.1/24, address6: 'fd00:198:99::1/64' }
http: { port: $PORT, token: $TOKEN }
profiles:
  wan: { delay: 20ms, jitter: 5ms }
  flaky: { loss: { p: 5%, r: 30% }, duplicate: 1% }
hosts:
  - { match: 198.18.99.64/27, profile: wan }
  - { match: 198.18.99.96/27, profile: flaky }
  - match: 198.18.99.50
    timeline: { repeat: true, steps: [ { for: 2s, state: up }, { for: 1s, state: down } ] }
  - { match: 203.0.113.10, delay: 5ms, hops: [198.18.99.200, 198.18.99.201] }
Y
sed 's/delay: 20ms/delay: 25ms/' "$WORK/a.yaml" > "$WORK/b.yaml"
cp "$WORK/a.yaml" "$WORK/tunecho.yaml"

TUNECHO_JAR=$JAR nsenter --net=/run/netns/"$NS" ./tunecho --config "$WORK/tunecho.yaml" \
  ${TRANSPORT:+--transport "$TRANSPORT"} > "$WORK/tunecho.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do grep -q "HTTP on" "$WORK/tunecho.log" && break; sleep 0.1; done
grep -q "HTTP on" "$WORK/tunecho.log" || { cat "$WORK/tunecho.log"; echo "soak: tunecho did not start" >&2; exit 1; }

END=$(( $(date +%s) + SECONDS_TOTAL ))
LOADS=()
load() { # each loop is bounded by the end time and by counts
  while [ "$(date +%s)" -lt "$END" ]; do in_ns timeout 20 ping -n -q -f -c 50000 198.18.99.9 >/dev/null 2>&1 || true; done &
  LOADS+=($!)
  while [ "$(date +%s)" -lt "$END" ]; do in_ns timeout 20 ping -n -q -i 0.01 -c 500 198.18.99.70 >/dev/null 2>&1 || true; done &
  LOADS+=($!)
  while [ "$(date +%s)" -lt "$END" ]; do in_ns timeout 20 ping -n -q -i 0.01 -c 500 198.18.99.100 >/dev/null 2>&1 || true; done &
  LOADS+=($!)
  while [ "$(date +%s)" -lt "$END" ]; do in_ns timeout 20 ping -6 -n -q -i 0.01 -c 500 fd00:198:99::5 >/dev/null 2>&1 || true; done &
  LOADS+=($!)
  while [ "$(date +%s)" -lt "$END" ]; do in_ns timeout 30 traceroute -n -q 1 203.0.113.10 >/dev/null 2>&1 || true; sleep 1; done &
  LOADS+=($!)
  while [ "$(date +%s)" -lt "$END" ]; do
    in_ns timeout 30 python3 server/src/test/python/hostile.py tunsoak 5000 10 198.18.99 >/dev/null 2>&1 || true; sleep 2
  done &
  LOADS+=($!)
  n=0
  while [ "$(date +%s)" -lt "$END" ]; do   # reloads between two files, admin API changes, scrapes
    n=$((n + 1))
    if [ $((n % 2)) = 0 ]; then cp "$WORK/a.yaml" "$WORK/tunecho.yaml"; else cp "$WORK/b.yaml" "$WORK/tunecho.yaml"; fi
    kill -HUP "$PID"
    in_ns curl -s -m 5 -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" -d "{\"delay\": \"$((n % 9 + 1))ms\", \"for\": \"2s\"}" \
      "http://127.0.0.1:$PORT/api/hosts/198.18.99.$((n % 40 + 10))" || true
    in_ns curl -s -m 5 -o /dev/null "http://127.0.0.1:$PORT/metrics" || true
    sleep 1
  done &
  LOADS+=($!)
}

sample() { # heap after a full GC (MB), RSS (MB), file descriptors, threads
  jcmd "$PID" GC.run >/dev/null 2>&1 || true
  local heap rss fds threads
  heap=$(in_ns curl -s -m 5 "http://127.0.0.1:$PORT/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {printf "%.1f", s / 1048576}')
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' /proc/"$PID"/status)
  fds=$(ls /proc/"$PID"/fd | wc -l)
  threads=$(awk '/^Threads/ {print $2}' /proc/"$PID"/status)
  echo "$heap $rss $fds $threads"
}

load
sleep $(( SECONDS_TOTAL < 120 ? 20 : 60 ))   # warm-up: JIT, pools, the first timeline rounds
read -r heap0 rss0 fds0 threads0 <<<"$(sample)"
printf "%8s %10s %8s %5s %8s\n" "minute" "heap MB" "RSS MB" "fds" "threads"
printf "%8s %10s %8s %5s %8s\n" "start" "$heap0" "$rss0" "$fds0" "$threads0"
heapmax=$heap0; rssmax=$rss0; rss5=""
while [ "$(date +%s)" -lt "$END" ]; do
  sleep $(( SECONDS_TOTAL < 120 ? 15 : 60 ))
  kill -0 "$PID" 2>/dev/null || { tail -20 "$WORK/tunecho.log"; echo "soak: FAIL: tunecho died" >&2; exit 1; }
  read -r heap rss fds threads <<<"$(sample)"
  printf "%8s %10s %8s %5s %8s\n" "$(( ($(date +%s) - END + SECONDS_TOTAL) / 60 ))" "$heap" "$rss" "$fds" "$threads"
  heapmax=$(awk -v a="$heapmax" -v b="$heap" 'BEGIN {print (b > a ? b : a)}')
  rssmax=$(awk -v a="$rssmax" -v b="$rss" 'BEGIN {print (b > a ? b : a)}')
  if [ -z "$rss5" ] && [ $(( $(date +%s) - END + SECONDS_TOTAL )) -ge 300 ]; then rss5=$rss; fi
done
wait "${LOADS[@]}" || true
read -r heap1 rss1 fds1 threads1 <<<"$(sample)"
echo "end: heap $heap1 MB, RSS $rss1 MB (peak $rssmax${rss5:+, minute 5: $rss5}), fds $fds1, threads $threads1"
fail=""
awk -v a="$heap0" -v b="$heap1" 'BEGIN {exit !(b > a + 8)}' && fail="$fail heap grew ($heap0 -> $heap1 MB);"
awk -v a="$rss0" -v b="$rss1" 'BEGIN {exit !(b > a * 1.25 + 16)}' && fail="$fail RSS grew ($rss0 -> $rss1 MB);"
if [ "$MINUTES" -ge 10 ] && [ -n "$rss5" ]; then
  if awk -v a="$rss5" -v b="$rss1" 'BEGIN {exit !(b > a + 10)}'; then
    fail="$fail RSS grew by more than 10 MB after minute 5 ($rss5 -> $rss1 MB);"
  fi
fi
[ "$fds1" -le $((fds0 + 5)) ] || fail="$fail file descriptors grew ($fds0 -> $fds1);"
[ "$threads1" -le $((threads0 + 3)) ] || fail="$fail threads grew ($threads0 -> $threads1);"
grep -q "LEAK:" "$WORK/tunecho.log" && fail="$fail a buffer leak was reported;"
if [ -n "$fail" ]; then
  echo "soak: FAIL:$fail" >&2
  exit 1
fi
echo "soak: PASS ($MINUTES min): heap $heap0 -> $heap1 MB, RSS $rss0 -> $rss1 MB, fds $fds0 -> $fds1, threads $threads0 -> $threads1"
