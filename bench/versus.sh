#!/usr/bin/env bash
# One command for "before and after": builds COMMIT's server jar (bench/build-at.sh) and runs it beside the current
# build (target/tunecho.jar, built first if missing) and the C responders, in one run of ../shared/bench/run.sh,
# on epoll and on io_uring, so the ratios come from the same minutes of the same machine. Needs root.
#
#   bench/versus.sh f409634                    # run.sh -r 3 c-tun c-uring before after before-uring after-uring
#   REPEATS=5 ARGS="--config $PWD/config/tunecho.yaml" bench/versus.sh HEAD~1
#   BENCH=/path/to/shared/bench bench/versus.sh ...   # where run.sh lives (default ../shared/bench)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: bench/versus.sh COMMIT" >&2; exit 2; }
cd "$(dirname "$0")/.."
root=$PWD
. bench/lib/harness.sh
before=$(bench/build-at.sh "$1")
[ -s target/tunecho.jar ] || ./mvnw -B -q install -DskipTests
after=$root/target/tunecho.jar
opts=(${ARGS:-})
run() { echo "$1@self=java -jar $2 ${opts[*]} --interface {TUN} --address {CIDR} $3"; }
exec "$bench/run.sh" -r "${REPEATS:-3}" c-tun c-uring \
  "$(run before "$before" "--transport epoll")" "$(run after "$after" "--transport epoll")" \
  "$(run before-uring "$before" "--transport io_uring")" "$(run after-uring "$after" "--transport io_uring")"
