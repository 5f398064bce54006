# Sourced by the scripts that drive the team's harness (bench/versus.sh, bench/floor.sh, bench/queues.sh): puts
# the folder of run.sh in $bench, BENCH or ../shared/bench beside this repository. The caller has cd'ed to the
# repository's root.
bench=${BENCH:-$PWD/../shared/bench}
[ -x "$bench/run.sh" ] || { echo "no run.sh in $bench (set BENCH)" >&2; exit 2; }
