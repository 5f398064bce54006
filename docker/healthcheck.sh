#!/bin/sh
# The image's HEALTHCHECK: healthy when tunecho answers a ping, not merely when its process exists.
#
# It runs inside the container's network namespace, where tunecho's interface and routes are the only ones (with
# --network none) or the ones tunecho added. It pings, from the kernel's side, addresses routed into the interfaces
# of that namespace: near the start of each route (network + 1, + 2) and its end, skipping the namespace's own
# (local) addresses, which the kernel would answer itself. One reply is enough. TUNECHO_HEALTH_ADDRESS (addresses
# separated by spaces or commas) replaces that guess, for answer lists that leave those addresses out.
#
# Needs ping (iputils-ping) and awk. Unprivileged ping uses an ICMP datagram socket, which
# net.ipv4.ping_group_range must allow for root's group (Docker and Podman set it in a container's own network
# namespace); with --cap-add NET_RAW ping uses a raw socket instead.
set -u

candidates() {
  if [ -n "${TUNECHO_HEALTH_ADDRESS:-}" ]; then
    echo "$TUNECHO_HEALTH_ADDRESS" | tr ',' ' '
    return
  fi
  # /proc/net/fib_trie: every local address is a leaf followed by "/32 host LOCAL".
  # /proc/net/route: the main table, destination and mask as little-endian hex.
  awk '
    function hex(s,    i, v) {
      v = 0
      for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789ABCDEF", toupper(substr(s, i, 1))) - 1
      return v
    }
    function le(s) { return hex(substr(s, 7, 2)) * 16777216 + hex(substr(s, 5, 2)) * 65536 + hex(substr(s, 3, 2)) * 256 + hex(substr(s, 1, 2)) }
    function dotted(v) { return int(v / 16777216) "." int(v / 65536) % 256 "." int(v / 256) % 256 "." v % 256 }
    # keys are dotted strings: awk would print numbers above 2^31 as 3.32307e+09, and they would collide
    function add(v,    a) { a = dotted(v); if (!(a in local) && !(a in seen)) { seen[a] = 1; out = out " " a } }
    FILENAME ~ /fib_trie$/ {
      if ($1 == "|--") last = $2
      if ($0 ~ /\/32 host LOCAL/) local[last] = 1
      next
    }
    FNR > 1 && $1 != "lo" && $3 == "00000000" {
      dst = le($2); mask = le($8)
      if (mask == 0) next                      # a default route: not an answered prefix
      size = 4294967296 - mask
      if (size == 1) { add(dst); next }
      add(dst + 1); if (size > 2) { add(dst + 2); add(dst + size - 2) } else add(dst)
    }
    END { print out }
  ' /proc/net/fib_trie /proc/net/route
}

targets=$(candidates)
if [ -z "$targets" ]; then
  echo "tunecho-healthcheck: no route into a tunecho interface yet"
  exit 1
fi
for address in $targets; do
  if ping -n -q -c 1 -W 1 "$address" >/dev/null 2>&1; then
    echo "tunecho-healthcheck: $address answers"
    exit 0
  fi
done
echo "tunecho-healthcheck: no reply from$(printf ' %s' $targets)"
exit 1
