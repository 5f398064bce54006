#!/usr/bin/env bash
# Builds a throwaway Maven project outside this repository that depends on tunecho-transport alone (and Netty's
# native epoll library, the application's choice), prints its dependency tree, and fails if the tree holds a logging
# backend or one of the server's libraries. Run after ./mvnw -B install (it reads the local repository).
#
#   bench/embed-check.sh [ARTIFACT]     # default tunecho-transport; tunecho-responder, tunecho-wire work too
set -euo pipefail
cd "$(dirname "$0")/.."
artifact=${1:-tunecho-transport}
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
netty=$(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' pom.xml)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example.foreign</groupId>
  <artifactId>embeds-tunecho</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.tunecho</groupId>
      <artifactId>$artifact</artifactId>
      <version>$version</version>
    </dependency>
    <dependency>
      <groupId>io.netty</groupId>
      <artifactId>netty-transport-native-epoll</artifactId>
      <version>$netty</version>
      <classifier>linux-x86_64</classifier>
    </dependency>
  </dependencies>
</project>
POM
./mvnw -B -q -f "$dir/pom.xml" dependency:tree -DoutputFile="$dir/tree.txt" "${@:2}"
cat "$dir/tree.txt"
if grep -E 'ch\.qos\.logback|org\.yaml|com\.fasterxml|io\.micrometer|io\.prometheus|netty-codec-http|log4j-core|slf4j-simple' \
        "$dir/tree.txt"; then
    echo "embed-check: $artifact brings a server library or a logging backend (above)" >&2
    exit 1
fi
echo "embed-check: $artifact brings no logging backend and none of the server's libraries"
