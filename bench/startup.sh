#!/usr/bin/env bash
# Start-up with a configuration against the default: milliseconds from exec to the first ping reply, alternating
# the two N times, tunecho pinned to CPU 0 (STARTUP_CPUS), in a network namespace of its own (needs root).
#
#   bench/startup.sh 8 CONFIG ADDRESS     # ADDRESS: an address CONFIG answers (the default's is 10.77.0.2)
#   bench/configs/hosts10k.sh > /tmp/hosts10k.yaml && bench/startup.sh 8 /tmp/hosts10k.yaml 10.10.0.1
#   TUNECHO_JAR=/tmp/other.jar bench/startup.sh ...   # another build (default: target/tunecho.jar)
#   TUNECHO_JAR="/tmp/a.jar /tmp/b.jar" bench/startup.sh ...   # builds side by side, taking turns in every round
#   TUNECHO_JAR="/tmp/f409634.jar ./tunecho" bench/startup.sh ... # a name not ending in .jar is run as a command
#                                                                  # (the launcher: its options, its class archive)
#   STARTUP_CPUS=0,1 bench/startup.sh ...              # other CPUs for tunecho (default 0; empty: unpinned)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${TUNECHO_STARTUP_NS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "needs root (a network namespace and a TUN device)" >&2; exit 1; }
  exec env TUNECHO_STARTUP_NS=1 unshare --net "$0" "$@"
fi
[ $# -eq 3 ] || { echo "usage: bench/startup.sh N CONFIG ADDRESS" >&2; exit 2; }
N=$1 CONFIG=$2 TARGET=$3 CPUS=${STARTUP_CPUS-0}
ip link set lo up
OUT=$(mktemp)
trap 'rm -f "$OUT" "$OUT.all"' EXIT
JARS=(${TUNECHO_JAR:-target/tunecho.jar})
measure() { # jar name address options...: prints the ms from exec to the first reply
  local jar=$1 name=$2 address=$3 t0 now pid; shift 3
  [ ${#JARS[@]} -eq 1 ] || name="$(basename "$jar" .jar) $name"
  local run=(java -jar "$jar")
  [[ $jar == *.jar ]] || run=(env -u TUNECHO_JAR "$jar")
  t0=$(date +%s%N)
  ${CPUS:+taskset -c "$CPUS"} "${run[@]}" "$@" --interface tunstart --address 10.77.0.1/24 >"$OUT" 2>&1 &
  pid=$!
  until ping -n -q -c 1 -W 0.05 "$address" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "$name: tunecho exited: $(tail -1 "$OUT")" >&2; exit 1; }
    now=$(date +%s%N)
    [ $(((now - t0) / 1000000)) -lt 30000 ] || { echo "$name: no reply within 30 s" >&2; kill $pid; exit 1; }
    sleep 0.005
  done
  now=$(date +%s%N)
  kill -TERM $pid
  wait $pid 2>/dev/null || true
  echo "$name: $(((now - t0) / 1000000))"
}
for i in $(seq "$N"); do
  for jar in "${JARS[@]}"; do
    measure "$jar" default 10.77.0.2
    measure "$jar" config "$TARGET" --config "$CONFIG"
  done
done >"$OUT.all"
cut -d: -f1 "$OUT.all" | sort -u | while read -r key; do # each build and config: its times, then their median
  times=$(grep "^$key: " "$OUT.all" | sed 's/.*: //')
  median=$(echo "$times" | sort -n | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  echo "$key:" $times "  median $median"
done
