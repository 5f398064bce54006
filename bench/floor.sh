#!/usr/bin/env bash
# How much of the distance between tunecho and the C responders is the JVM's and Netty's, and how much tunecho's
# own: the Java floor (example's PingAnswerer: tunecho's transport, one handler that answers in place, nothing else)
# beside tunecho (the server jar, default config), c-tun and c-uring, on epoll and on io_uring, in one run of
# ../shared/bench/run.sh; with a COMMIT, that commit's server jar on epoll too (bench/build-at.sh), as "before".
# Needs root and a build (./mvnw -B -q install -DskipTests).
#
#   bench/floor.sh                 # run.sh -r 3 c-tun c-uring floor floor-uring tunecho tunecho-uring
#   REPEATS=5 bench/floor.sh f409634
#   then per-repeat ratios: bench/pair-ratios.py floor-uring c-uring CSV, tunecho-uring floor-uring CSV, ...
set -euo pipefail
[ $# -le 1 ] || { echo "usage: bench/floor.sh [COMMIT]" >&2; exit 2; }
cd "$(dirname "$0")/.."
root=$PWD
. bench/lib/harness.sh
jar=$root/target/tunecho.jar
. bench/lib/floor.sh
floor_args x y z >/dev/null  # a missing build stops here
floor() { echo "$1@self=java $(floor_args {TUN} {CIDR} "$2")"; }
server() { echo "$1@self=java -jar $2 --interface {TUN} --address {CIDR} --transport $3"; }
specs=(c-tun c-uring)
[ $# -eq 1 ] && specs+=("$(server before "$(bench/build-at.sh "$1")" epoll)")
specs+=("$(floor floor epoll)" "$(floor floor-uring io_uring)" "$(server tunecho "$jar" epoll)"
  "$(server tunecho-uring "$jar" io_uring)")
exec "$bench/run.sh" -r "${REPEATS:-3}" "${specs[@]}"
