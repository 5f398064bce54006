#!/usr/bin/env bash
# Multi-queue on io_uring against multi-queue on epoll (issue #22, item 2): tunecho with one queue and with two
# (`--queues 2`: a multi-queue TUN, a channel and an event loop per queue), on each transport, beside c-tun and
# c-tun-mq (the C loop, two queues), in one run of ../shared/bench/run.sh. The generator sends from GEN_SOCKETS=4
# source addresses, since the TUN spreads ICMP over its queues by addresses only, and nothing is pinned (PIN=none),
# so that each responder may use both CPUs. Needs root and a build (./mvnw -B -q install -DskipTests).
#
#   bench/queues.sh                # run.sh -r 3
#   REPEATS=5 bench/queues.sh
#   then: bench/pair-ratios.py uring-q2 uring-q1 CSV, and epoll-q2 epoll-q1 CSV, c-tun-mq c-tun CSV
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/harness.sh
jar=$PWD/target/tunecho.jar
[ -s "$jar" ] || { echo "build first: ./mvnw -B -q install -DskipTests" >&2; exit 2; }
server() { echo "$1@self=java -jar $jar --interface {TUN} --address {CIDR} --transport $2 --queues $3"; }
export PIN=${PIN:-none} GEN_SOCKETS=${GEN_SOCKETS:-4}
exec "$bench/run.sh" -r "${REPEATS:-3}" c-tun c-tun-mq "$(server epoll-q1 epoll 1)" "$(server epoll-q2 epoll 2)" \
  "$(server uring-q1 io_uring 1)" "$(server uring-q2 io_uring 2)"
