#!/usr/bin/env bash
# What issue #23's path settings cost under load, in one run of ../shared/bench/run.sh beside c-tun: the plain
# build, the same build with the default config (no host settings), a host behind a load-balanced hop chosen per
# flow (bench/configs/path-flow.yaml) and a host replaying a trace of 1-3 ms (bench/configs/trace-host.yaml, whose
# rate at W64 the delays bound: its CPU per 1000 replies is the figure). BEFORE=COMMIT adds that commit's build
# (bench/build-at.sh) with the default config, for "hosts without these settings cost what they cost before".
#
#   bench/paths-cost.sh                      # run.sh -r 3; target/tunecho.jar, epoll
#   BEFORE=9b93a94 TRANSPORT=io_uring bench/paths-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=${BENCH:-$root/../shared/bench}
[ -x "$bench/run.sh" ] || { echo "no run.sh in $bench (set BENCH)" >&2; exit 2; }
[ -s target/tunecho.jar ] || ./mvnw -B -q install -DskipTests
jar=$root/target/tunecho.jar
t="--transport ${TRANSPORT:-epoll}"
run() { echo "$1@self=java -jar $2 $t --interface {TUN} --address {CIDR} $3"; }
extra=()
if [ -n "${BEFORE:-}" ]; then
  extra+=("$(run before "$(bench/build-at.sh "$BEFORE")" "")")
fi
exec "$bench/run.sh" -r "${REPEATS:-3}" c-tun "${extra[@]}" "$(run plain "$jar" "")" \
  "$(run flow-path "$jar" "--config $root/bench/configs/path-flow.yaml")" \
  "$(run trace-host "$jar" "--config $root/bench/configs/trace-host.yaml")"
