# Sourced by the bench scripts that run the Java floor (bench/floor.sh, bench/idle-tail.sh, bench/lib/profiler.sh):
# floor_args TUN CIDR TRANSPORT prints what follows `java` to run example's PingAnswerer (tunecho's transport and one
# in-place handler) on the current build, with what the server's Main sets before Netty loads (no leak-detection
# sampling, no Netty JFR events; the example sets the recyclers' batch itself), so that the floor and tunecho differ
# by tunecho's pipeline only. The caller has cd'ed to the repository's root. A missing build exits with 2, so call
# it once outside $(...) first.
floor_args() {
  local jar=$PWD/target/tunecho.jar example
  example=$(ls "$PWD"/example/target/tunecho-example-*.jar 2>/dev/null | grep -v sources | head -1)
  [ -s "$jar" ] && [ -n "$example" ] || { echo "build first: ./mvnw -B -q install -DskipTests" >&2; exit 2; }
  echo "-Dio.netty.leakDetection.level=disabled -Dio.netty.jfr.enabled=false -cp $jar:$example" \
    "io.tunecho.example.PingAnswerer $1 $2 $3"
}
