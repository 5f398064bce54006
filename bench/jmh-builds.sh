#!/usr/bin/env bash
# The pipeline's JMH echo benchmark for earlier commits beside the current tree, one after the other: each commit
# is checked out in a temporary worktree, given today's PipelineBenchmark (so every build runs the same benchmark,
# `burst` included), installed into a Maven repository of its own and measured. Backs the JMH table of "The echo
# path's Java work" in docs/benchmarks.md.
#
#   bench/jmh-builds.sh f409634 3171c16          # then the current tree
#   JMH_ARGS="PipelineBenchmark -p packet=echo -p burst=16 -f 3" bench/jmh-builds.sh HEAD~3
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
args=${JMH_ARGS:-PipelineBenchmark -p packet=echo -p burst=1,16 -f 3 -wi 3 -i 3 -w 1 -r 1}
bench() {   # $1: a tree, $2: its name
  echo "== $2"
  (cd "$1" && if [ -d responder ]; then
     ./mvnw -B -q install -DskipTests -Dmaven.repo.local="$repo" >/dev/null
     ./mvnw -B -q -Pbench -pl responder test-compile exec:exec -Dmaven.repo.local="$repo" -Djmh.args="$args"
   else   # before the modules: one project at the root
     ./mvnw -B -q -Pbench test-compile exec:exec -Dmaven.repo.local="$repo" -Djmh.args="$args"
   fi) 2>&1 | grep -E "^(Benchmark|PipelineBenchmark)" || true
}
repo=$(mktemp -d /tmp/tunecho-jmh-m2.XXXXXX)
tree=
trap '[ -n "$tree" ] && git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1; rm -rf "$repo"' EXIT
for commit in "$@"; do
  tree=$(mktemp -d /tmp/tunecho-jmh-XXXXXX)
  git worktree add -q --detach "$tree" "$commit"
  if [ -d "$tree/responder" ]; then
    cp bench/src/java/io/tunecho/bench/PipelineBenchmark.java "$tree/bench/src/java/io/tunecho/bench/"
  else   # before the modules its benchmark builds another pipeline: only the read burst is added to it
    python3 - "$tree/bench/src/java/io/tunecho/bench/PipelineBenchmark.java" <<'EOF'
import re, sys
path = sys.argv[1]
s = open(path).read()
if 'burst' not in s:
    body = re.search(r"    @Benchmark\n    public Object packet\(\) \{.*?\n    \}\n", s, re.S)
    s = s[:body.start()] + '''    @Param({"1"})
    public int burst;

    @Benchmark
    public Object packet() {
        ByteBuf reply = null;
        for (int i = 0; i < burst; i++) {
            ByteBuf b = buf;
            b.clear().writeBytes(template);
            b.retain();
            pipeline.fireChannelRead(b);
            reply = sink.written;
            sink.written = null;
            if (reply != null) {
                reply.release();
            }
        }
        pipeline.fireChannelReadComplete();
        return reply;
    }
''' + s[body.end():]
    open(path, 'w').write(s)
EOF
  fi
  bench "$tree" "$commit"
  git worktree remove --force "$tree"
  tree=
done
bench "$root" "current tree"
