#!/usr/bin/env bash
# Builds a Java 17 runtime base image without a registry: debootstrap a minimal Debian bookworm with Debian's
# openjdk-17-jre-headless (and iputils-ping, which the health check uses), then `podman import` it. The image is
# cached by name: its tag is a hash of what goes into it, so a second run on the same machine only checks that it
# exists. Prints the image name on stdout (all progress goes to stderr).
#
#   docker/base-image.sh            # -> localhost/tunecho-jre17-base:bookworm-<hash>
#   BASE_MIRROR=http://... docker/base-image.sh
#
# Needs root, debootstrap and podman (CONTAINERS_CONF as docker/test.sh sets it, on machines that need one).
set -euo pipefail

SUITE=bookworm
MIRROR=${BASE_MIRROR:-http://deb.debian.org/debian}
PACKAGES=openjdk-17-jre-headless,iputils-ping
# What the image holds decides its tag: change the suite, the packages or the trimming below and a new one is built.
RECIPE="$SUITE $PACKAGES trim-v1"
TAG=$SUITE-$(printf '%s' "$RECIPE" | sha256sum | cut -c1-10)
NAME=${BASE_IMAGE_NAME:-localhost/tunecho-jre17-base}:$TAG

log() { printf 'base-image: %s\n' "$*" >&2; }

if podman image exists "$NAME"; then
  log "cached: $NAME"
  echo "$NAME"
  exit 0
fi
[ "$(id -u)" = 0 ] || { log "needs root (debootstrap)"; exit 1; }
command -v debootstrap >/dev/null || { log "needs debootstrap (apt-get install debootstrap)"; exit 1; }

ROOT=$(mktemp -d /var/tmp/tunecho-base.XXXXXX)
trap 'rm -rf --one-file-system "$ROOT"' EXIT
t0=$(date +%s)
log "debootstrap --variant=minbase $SUITE with $PACKAGES (about a minute) ..."
if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1; then
  tail -20 "$ROOT.log" >&2
  rm -f "$ROOT.log"
  log "debootstrap failed (is $MIRROR reachable?)"
  exit 1
fi
rm -f "$ROOT.log"

# What a runtime image does not need: package caches and lists, documentation, man pages, translations.
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/* \
  "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/locale/*
# debootstrap leaves the host's resolver configuration behind; the image gets its own at run time.
: >"$ROOT/etc/resolv.conf"

tar --numeric-owner -C "$ROOT" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --change 'CMD ["/bin/bash"]' \
  --message "tunecho base: Debian $SUITE minbase + $PACKAGES" - "$NAME" >/dev/null
log "built $NAME in $(( $(date +%s) - t0 )) s"
echo "$NAME"
