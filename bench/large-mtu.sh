#!/usr/bin/env bash
# The largest MTU through README's launcher, on each transport: `./tunecho --mtu 65535` (with config/jvm.options,
# whose direct memory is 16 MB) in a network namespace of its own, its first reply, then three pings of 60,000
# bytes. Before 986dd26, io_uring answered none (its buffer ring asked for 16 MB: OutOfMemoryError in the log,
# printed here). LauncherIT checks the same with the transport that auto picks. Needs root and a build.
#
#   bench/large-mtu.sh                          # epoll and io_uring, target/tunecho.jar
#   TUNECHO_JAR=/tmp/tunecho-at-c99da65/tunecho.jar bench/large-mtu.sh
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib/netns.sh "$@"
log=$(mktemp /tmp/tunecho-large-mtu.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -f "$log"' EXIT
for transport in epoll io_uring; do
  TUNECHO_CDS=off ./tunecho --transport $transport --mtu 65535 --interface tunmt --address 10.77.0.1/24 \
    >"$log" 2>&1 &
  pid=$!
  first=none
  for _ in $(seq 100); do ping -n -q -c 1 -W 0.1 10.77.0.2 >/dev/null 2>&1 && { first=yes; break; }; sleep 0.1; done
  big=$(ping -n -c 3 -i 0.2 -s 60000 -W 2 10.77.0.2 2>&1 | grep -o "[0-9]* received")
  echo "$transport: first reply: $first; 60,000-byte pings: ${big:-0 received}"
  grep -i "error\|exception" "$log" | head -3 | sed 's/^/  /'
  kill $pid; wait $pid 2>/dev/null
  pid=
done
