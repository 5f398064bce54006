#!/usr/bin/env bash
# Builds the server jar of any commit into a folder of its own and prints the jar's path: "before" for a benchmark
# is one command. The commit is checked out in a temporary worktree (removed after), built with `package` (which
# takes the modules from the reactor, so nothing of the old build reaches ~/.m2), and its jar and native libraries
# are copied to OUT (default /tmp/tunecho-at-SHORTSHA). A second call for the same commit reuses what is there.
#
#   bench/build-at.sh f409634                  # prints /tmp/tunecho-at-f409634/tunecho.jar
#   bench/build-at.sh HEAD~3 /tmp/before       # any revision git knows; OUT given
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: bench/build-at.sh COMMIT [OUT]" >&2; exit 2; }
cd "$(dirname "$0")/.."
sha=$(git rev-parse --verify --quiet "$1^{commit}") || { echo "no such commit: $1" >&2; exit 2; }
out=${2:-/tmp/tunecho-at-${sha:0:7}}
if [ -s "$out/tunecho.jar" ] && [ "$(cat "$out/COMMIT" 2>/dev/null)" = "$sha" ]; then
  echo "$out/tunecho.jar"; exit 0
fi
tree=$(mktemp -d /tmp/tunecho-build-XXXXXX)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
git worktree add -q --detach "$tree" "$sha"
echo "building ${sha:0:7} in $tree ..." >&2
(cd "$tree" && ./mvnw -B -q package -DskipTests -Dmaven.javadoc.skip=true >"$tree.log" 2>&1) \
  || { echo "build of ${sha:0:7} failed; its log: $tree.log" >&2; exit 1; }
rm -f "$tree.log"
mkdir -p "$out"
cp "$tree/target/tunecho.jar" "$out/"
[ -d "$tree/target/native" ] && cp -r "$tree/target/native" "$out/"
echo "$sha" > "$out/COMMIT"
echo "$out/tunecho.jar"
