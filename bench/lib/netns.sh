# Sourced, with the script's arguments, by the bench scripts that run builds in a network namespace of their own:
# re-runs the calling script as root inside `unshare --net` (nothing reaches the machine's network) and brings up
# loopback there.   . "$(dirname "$0")/lib/netns.sh" "$@"
if [ "${TUNECHO_BENCH_NETNS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "needs root (a network namespace and a TUN device)" >&2; exit 1; }
  exec env TUNECHO_BENCH_NETNS=1 unshare --net "$0" "$@"
fi
ip link set lo up
