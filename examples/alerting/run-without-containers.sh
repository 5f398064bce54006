#!/usr/bin/env bash
# The drill with Debian's packages instead of containers (prometheus, prometheus-blackbox-exporter,
# prometheus-alertmanager), as root, in a network namespace of its own: the lab, its routes and the four programs
# live and die there, and nothing touches the machine's network. Prints tunecho's exit code (0: every expectation
# passed, 3: one failed) and the report; what the programs logged stays in the printed folder.
#
#   examples/alerting/run-without-containers.sh            # about 2.5 minutes
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")"
[ "$(id -u)" = 0 ] || { echo "drill: needs root (a network namespace and a TUN device)" >&2; exit 1; }
if [ "${DRILL_NS:-}" != 1 ]; then
  exec env DRILL_NS=1 unshare --net "$self" "$@"
fi
for p in prometheus prometheus-blackbox-exporter prometheus-alertmanager; do
  command -v $p >/dev/null || { echo "drill: $p is missing (apt-get install $p)" >&2; exit 1; }
done
ip link set lo up
work=$(mktemp -d /tmp/drill.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
prometheus-blackbox-exporter --config.file=blackbox.yml --web.listen-address=127.0.0.1:9115 \
  >"$work/blackbox.log" 2>&1 & pids+=($!)
prometheus-alertmanager --config.file=alertmanager.yml --storage.path="$work/alertmanager" \
  --web.listen-address=127.0.0.1:9093 --cluster.listen-address= >"$work/alertmanager.log" 2>&1 & pids+=($!)
prometheus --config.file=prometheus.yml --storage.tsdb.path="$work/prometheus" \
  --web.listen-address=127.0.0.1:9090 >"$work/prometheus.log" 2>&1 & pids+=($!)
code=0
../../tunecho --config tunecho.yaml >"$work/tunecho.log" 2>&1 || code=$?
grep -E "scenario|expect" "$work/tunecho.log" | tail -8
echo "drill: exit code $code (logs in $work)"
cat /tmp/drill.xml
exit $code
