#!/usr/bin/env bash
# bench/flood.sh - end-to-end flood benchmark of tunecho, in a network namespace made for this run alone.
#
#   sudo bench/flood.sh [COUNT] [-- extra tunecho options]
#
# Starts target/tunecho.jar (build it first: ./mvnw -B -q package -DskipTests) inside a fresh network namespace,
# floods an answered address with `ping -f` at preload 1 and 64, and prints replies/s, loss and tunecho's CPU per
# 1000 replies. As a reference measured in the same run it floods the interface's own address too, which the
# Linux kernel answers itself (without the TUN), and prints tunecho's figures as ratios to it.
# Every flood is bounded by COUNT (default 100000) and by `timeout`; the namespace and tunecho are removed on exit.
# tunecho and ping run on one CPU (CPU=0; CPU= leaves placement to the scheduler): on 2 vCPUs a cross-CPU wake-up
# per ping-pong would otherwise dominate the preload-1 figures.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100000}
CPU=${CPU-0}
shift $(( $# > 0 ? 1 : 0 ))
[ "${1:-}" = "--" ] && shift
[ "$(id -u)" = 0 ] || { echo "flood.sh: needs root (network namespace, TUN)" >&2; exit 1; }
[ -f target/tunecho.jar ] || { echo "flood.sh: build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
command -v ping >/dev/null || { echo "flood.sh: needs ping (apt-get install iputils-ping)" >&2; exit 1; }

NS="tunecho-bench-$$"
PID=""
LOG=$(mktemp)
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -f "$LOG"
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
pin=()
[ -n "$CPU" ] && pin=(taskset -c "$CPU")
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip link set lo up

# started directly (not through in_ns) so that $! is tunecho's own PID: `ip netns exec` and taskset exec in place
ip netns exec "$NS" "${pin[@]}" java -jar target/tunecho.jar --interface tun0 --address 198.18.0.1/24 "$@" \
  >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  in_ns ping -n -c 1 -W 0.2 198.18.0.2 >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
in_ns ping -n -c 1 -W 1 198.18.0.2 >/dev/null || { echo "flood.sh: tunecho does not answer" >&2; cat "$LOG" >&2; exit 1; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
TCK=$(getconf CLK_TCK)

# flood TARGET PRELOAD -> "sent received seconds cpu_ms"
flood() {
  local before after out
  before=$(cpu_ticks)
  out=$(in_ns "${pin[@]}" timeout -s INT 300 ping -n -q -f -l "$2" -c "$COUNT" "$1" 2>&1 || true)
  after=$(cpu_ticks)
  echo "$out" | awk -v cpu=$(( (after - before) * 1000 / TCK )) '
    /packets transmitted/ { sent = $1; recv = $4 }
    /^rtt|^round-trip/ { }
    / time / { for (i = 1; i <= NF; i++) if ($i == "time") { t = $(i + 1); sub(/ms.*/, "", t) } }
    END { printf "%d %d %.3f %d\n", sent, recv, t / 1000, cpu }'
}

echo "warm-up: $COUNT pings at preload 64 (JIT)"
flood 198.18.0.2 64 >/dev/null

printf '\n%-28s %10s %10s %8s %14s %14s\n' "target" "preload" "replies/s" "loss %" "cpu ms/1000" "rate vs kernel"
for L in 1 64; do
  read -r ks kr kt _ < <(flood 198.18.0.1 "$L")     # the kernel answers its own address: the reference
  read -r ts tr tt tc < <(flood 198.18.0.2 "$L")    # tunecho answers through the TUN
  krate=$(awk -v r="$kr" -v t="$kt" 'BEGIN { printf "%.0f", r / t }')
  trate=$(awk -v r="$tr" -v t="$tt" 'BEGIN { printf "%.0f", r / t }')
  printf '%-28s %10s %10s %8s %14s %14s\n' "kernel (198.18.0.1, local)" "$L" "$krate" \
    "$(awk -v s="$ks" -v r="$kr" 'BEGIN { printf "%.2f", (s - r) * 100 / s }')" "-" "1.00"
  printf '%-28s %10s %10s %8s %14s %14s\n' "tunecho (198.18.0.2)" "$L" "$trate" \
    "$(awk -v s="$ts" -v r="$tr" 'BEGIN { printf "%.2f", (s - r) * 100 / s }')" \
    "$(awk -v c="$tc" -v r="$tr" 'BEGIN { printf "%.2f", c * 1000 / r }')" \
    "$(awk -v a="$trate" -v b="$krate" 'BEGIN { printf "%.2f", a / b }')"
done
echo
echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)"
