#!/usr/bin/env bash
# A tunecho container as a responder of ../shared/bench/run.sh, measured side by side with the plain jar:
#
#   docker/base-image.sh   # -> BASE
#   podman build --format docker --network none -f docker/Dockerfile --build-arg JRE_IMAGE=BASE -t localhost/tunecho:bench .
#   ../shared/bench/run.sh c-tun 'jar@self=java -jar target/tunecho.jar --interface {TUN} --address {CIDR}' \
#     "image@self=$PWD/docker/bench-responder.sh localhost/tunecho:bench {NETNS} --interface {TUN} --address {CIDR}"
#
# The harness runs this inside its network namespace with `ip netns exec`, which mounts a fresh /sys where runc
# finds no cgroups; so podman runs in the mount namespace of the harness (its parent's: nsenter -m -t PPID, or
# BENCH_MOUNT_NS_PID), and the container joins the
# harness's network namespace by its name (--network ns:/run/netns/NETNS), with the image's least privilege.
#
# The harness measures the CPU and peak RSS of this script's process tree. `podman run -d` returns once the
# container runs; conmon (and under it the container's JVM) would then belong to no one, so this script makes itself
# their subreaper first (prctl PR_SET_CHILD_SUBREAPER): the tree is this shell, conmon and the JVM, without the podman
# client. On SIGTERM it stops the container and prints the JVM's peak RSS on its own.
set -euo pipefail
if [ "${TUNECHO_SUBREAPER:-}" != 1 ]; then
  # become the subreaper (the attribute survives execve), then run this script again
  exec env TUNECHO_SUBREAPER=1 BENCH_MOUNT_NS_PID="${BENCH_MOUNT_NS_PID:-$PPID}" python3 -c '
import ctypes, os, sys
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit("bench-responder: prctl(PR_SET_CHILD_SUBREAPER) failed")
os.execv("/bin/bash", ["bash"] + sys.argv[1:])' "$0" "$@"
fi
[ $# -ge 2 ] || { echo "usage: $0 IMAGE NETNS [tunecho options]" >&2; exit 2; }
IMAGE=$1 NETNS=$2
shift 2
NAME=tunecho-bench-$$
WORK=$(mktemp -d "/tmp/$NAME.XXXXXX")
if [ -z "${CONTAINERS_CONF:-}" ]; then
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=1000:1000"]\n[engine]\nruntime = "runc"\n' \
    "$(ulimit -Hn)" "$(ulimit -Hn)" >"$WORK/containers.conf"
  export CONTAINERS_CONF=$WORK/containers.conf
fi
HOST=(nsenter -m -t "$BENCH_MOUNT_NS_PID" --) # the harness's mount namespace, this network namespace

PID=""
finish() {
  trap - TERM INT EXIT
  if [ -n "$PID" ] && [ -r "/proc/$PID/status" ]; then
    echo "bench-responder: container JVM pid $PID: $(grep -E '^(VmHWM|Threads|Cpus_allowed_list)' "/proc/$PID/status" | tr -s '\t\n' '  ')"
    kill -TERM "$PID" 2>/dev/null || true # SIGTERM, as podman stop would send it
  fi
  timeout 20 "${HOST[@]}" podman wait "$NAME" >/dev/null 2>&1 || true
  timeout 20 "${HOST[@]}" podman logs "$NAME" 2>&1 | grep -v '^time=' | tail -3 || true
  timeout 20 "${HOST[@]}" podman rm -f -t 1 "$NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap finish TERM INT EXIT

"${HOST[@]}" podman run -d --name "$NAME" --pidfile "$WORK/pid" --network "ns:/run/netns/$NETNS" \
  --cap-drop ALL --cap-add NET_ADMIN --device /dev/net/tun --read-only --read-only-tmpfs=false \
  --health-interval disable "$IMAGE" "$@" >/dev/null
PID=$(cat "$WORK/pid")
# what podman adds to the harness's "ready ms": from this script's start to the container JVM's (10 ms ticks)
start_ticks() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat"; }
echo "bench-responder: the container JVM started $(( ($(start_ticks "$PID") - $(start_ticks $$)) * 1000 / $(getconf CLK_TCK) )) ms after this script"
# wait for the JVM with shell built-ins only: a `sleep` or `podman wait` would count in the tree's RSS
mkfifo "$WORK/tick"
exec 3<>"$WORK/tick"
while kill -0 "$PID" 2>/dev/null; do
  read -r -t 1 -u 3 _ || true
done
