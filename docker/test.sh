#!/usr/bin/env bash
# docker/test.sh: builds tunecho's image and proves it, with podman, as CI does (.ci/run, after `mvn verify`).
#
#   sudo docker/test.sh            # needs target/tunecho.jar and target/native/ (./mvnw -B -q package -DskipTests)
#
# 1. a JRE 17 base image without a registry (docker/base-image.sh: debootstrap, podman import; cached by name),
# 2. tunecho's image from docker/Dockerfile with --build-arg JRE_IMAGE=<that base>,
# 3. containers run with --network none --cap-drop ALL --cap-add NET_ADMIN --device /dev/net/tun --read-only, from
#    inside a network namespace made here; the host's ping answered in each container's own network namespace
#    (nsenter -t PID -n ping), with a mounted config file, then with options on the command line, then --user;
#    the image's HEALTHCHECK reports healthy; the HTTP server (health, metrics, lab page, admin API) answers in a
#    container; a drill (a mounted scenario, alerts posted to the API) exits 0 with its report in a volume; SIGTERM (podman stop) ends it within 2 s with exit code 0;
# 4. without NET_ADMIN and without the device: tunecho's one-line error and a non-zero exit;
# 5. everything made here is removed; one line with the measured figures is printed.
#
# Prints "SKIPPED: <why>" and exits 0 only where podman cannot run a container at all. Every packet stays in a
# container's network namespace; the only thing this script adds outside is the cached base image.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'docker/test.sh: %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
skip() { echo "SKIPPED: $*"; exit 0; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

[ "$(id -u)" = 0 ] || fail "needs root (podman, network namespaces, nsenter)"
command -v podman >/dev/null 2>&1 || skip "podman is not installed (apt-get install podman runc)"
for tool in ip nsenter ping timeout awk curl; do
  command -v $tool >/dev/null 2>&1 || fail "missing $tool (apt-get install iproute2 util-linux iputils-ping curl)"
done
[ -f target/tunecho.jar ] && [ -d target/native ] || fail "no target/tunecho.jar: run ./mvnw -B -q package -DskipTests"
[ -c /dev/net/tun ] || modprobe tun 2>/dev/null || true
[ -c /dev/net/tun ] || skip "no /dev/net/tun on this machine (modprobe tun failed)"

ID=tunecho-test-$$
IMAGE=localhost/$ID:latest
NS=$ID
WORK=$(mktemp -d "/tmp/$ID.XXXXXX")
N=(nsenter "--net=/run/netns/$NS") # podman runs inside our namespace: no bridge, no address outside

# podman's configuration for this run: runc (crun fails on hybrid cgroups), ulimits within the machine's hard
# limits, and the ping_group_range that lets root in a container ping without CAP_NET_RAW (which podman's default
# containers.conf sets; CONTAINERS_CONF replaces that file).
cat >"$WORK/containers.conf" <<EOF
[containers]
default_sysctls = ["net.ipv4.ping_group_range=0 0"]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=1000:1000"]
[engine]
$(command -v runc >/dev/null 2>&1 && echo 'runtime = "runc"')
EOF
export CONTAINERS_CONF=$WORK/containers.conf

CONTAINERS=()
cleanup() {
  local c
  for c in "${CONTAINERS[@]}"; do timeout 30 "${N[@]}" podman rm -f -t 1 "$c" >/dev/null 2>&1 || true; done
  timeout 60 podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up

# ---- the images ----------------------------------------------------------------------------------------------
timeout 60 podman info >/dev/null 2>"$WORK/info.err" || skip "podman does not work here: $(tail -1 "$WORK/info.err")"
BASE=$(timeout 900 docker/base-image.sh) || fail "could not build the base image (docker/base-image.sh)"
if ! timeout 60 "${N[@]}" podman run --rm --network none "$BASE" true >"$WORK/probe.log" 2>&1; then
  skip "podman cannot run a container here: $(grep -v '^time=' "$WORK/probe.log" | tail -1)"
fi
t=$(now_ms)
timeout 600 "${N[@]}" podman build --format docker --network none -f docker/Dockerfile \
  --build-arg JRE_IMAGE="$BASE" -t "$IMAGE" . >"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log" >&2; fail "podman build failed"; }
BUILD_S=$(awk -v ms=$(($(now_ms) - t)) 'BEGIN { printf "%.0f", ms / 1000 }')
SIZE_MB=$(podman image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f", $1 / 1e6 }')
BASE_MB=$(podman image inspect -f '{{.Size}}' "$BASE" | awk '{ printf "%.0f", $1 / 1e6 }')
log "built $IMAGE in ${BUILD_S} s: ${SIZE_MB} MB (base ${BASE_MB} MB)"
HC=$(podman image inspect -f '{{json .HealthCheck}}' "$IMAGE")
case $HC in *tunecho-healthcheck*) ;; *) fail "the image has no HEALTHCHECK ($HC)" ;; esac

# the options of every container that answers: the least privilege the issue allows, and a read-only root
# (--read-only-tmpfs=false: not even the tmpfs that podman adds by default, as with docker run --read-only)
RUN_OPTS=(--network none --cap-drop ALL --cap-add NET_ADMIN --device /dev/net/tun --read-only --read-only-tmpfs=false
  --health-interval disable) # no systemd timer here: the test runs the health check itself

# start NAME ARGS...: starts a container, waits for its PID; sets PID and START_MS (before podman run)
start() {
  local name=$1; shift
  CONTAINERS+=("$name")
  rm -f "$WORK/$name.pid"
  START_MS=$(now_ms)
  timeout 60 "${N[@]}" podman run -d --name "$name" --pidfile "$WORK/$name.pid" "$@" >"$WORK/$name.run" 2>&1 \
    || { cat "$WORK/$name.run" >&2; fail "podman run $name failed"; }
  PID=$(cat "$WORK/$name.pid")
  [ -n "$PID" ] && [ -d "/proc/$PID" ] || fail "$name: no container process ($(podman logs "$name" 2>&1 | tail -3))"
}

# in NAME CMD...: runs a host command in the container's network namespace (only the network: the host's ping)
in_ns() { timeout 60 nsenter -t "$PID" -n "$@"; }

# wait_reply ADDRESS: polls until ADDRESS answers; sets READY_MS (podman run to reply) and JVM_READY_MS
# (container process start to reply, from /proc: 10 ms resolution)
wait_reply() {
  local deadline=$(($(now_ms) + 30000)) hz up start
  hz=$(getconf CLK_TCK)
  while ! nsenter -t "$PID" -n ping -n -q -c 1 -W 0.2 "$1" >/dev/null 2>&1; do
    kill -0 "$PID" 2>/dev/null || fail "the container exited before answering: $(podman logs "$CURRENT" 2>&1 | tail -3)"
    [ "$(now_ms)" -lt "$deadline" ] || fail "no reply from $1 within 30 s"
    sleep 0.01
  done
  READY_MS=$(($(now_ms) - START_MS))
  up=$(awk '{ print $1 }' /proc/uptime)
  start=$(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$PID/stat")
  JVM_READY_MS=$(awk -v up="$up" -v s="$start" -v hz="$hz" 'BEGIN { printf "%d", (up - s / hz) * 1000 }')
}

# pings COUNT ADDRESS: COUNT pings, all answered by ADDRESS
pings() {
  local out
  out=$(in_ns ping -n -c "$1" -i 0.2 -W 2 "$2" 2>&1) || true
  grep -q "^$1 packets transmitted, $1 received" <<<"$out" || fail "$CURRENT: ping $2: $(echo "$out" | tail -2)"
  [ "$(echo "$out" | grep -c "bytes from $2: icmp_seq=.* ttl=64")" = "$1" ] || fail "$CURRENT: replies not from $2"
}

# healthy NAME: runs the image's health check until it passes (at most 10 times)
healthy() {
  local i status
  for i in $(seq 10); do
    if timeout 30 "${N[@]}" podman healthcheck run "$1" >"$WORK/hc.log" 2>&1; then
      status=$(podman inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null \
        || podman inspect -f '{{.State.Healthcheck.Status}}' "$1")
      [ "$status" = healthy ] || fail "$1: health check passed but the status is '$status'"
      return 0
    fi
    sleep 0.5
  done
  fail "$1: never healthy: $(grep -v '^time=' "$WORK/hc.log" | tail -2)"
}

# stop NAME: podman stop (SIGTERM); must end within 2 s with exit code 0; sets STOP_MS
stop() {
  local t code
  t=$(now_ms)
  timeout 30 "${N[@]}" podman stop -t 10 "$1" >/dev/null 2>&1 || fail "$1: podman stop failed"
  STOP_MS=$(($(now_ms) - t))
  code=$(podman inspect -f '{{.State.ExitCode}}' "$1")
  [ "$code" = 0 ] || fail "$1: exit code $code after SIGTERM: $(podman logs "$1" 2>&1 | tail -3)"
  [ "$STOP_MS" -le 2000 ] || fail "$1: podman stop took $STOP_MS ms (more than 2 s)"
  podman logs "$1" 2>&1 | grep "stopped; replied=" >/dev/null || fail "$1: no 'stopped' line in its log"
}

# ---- 1. a mounted config file ----------------------------------------------------------------------------------
CURRENT=$ID-file
cat >"$WORK/tunecho.yaml" <<'EOF'
interface:
  name: tunecho0
  address: 10.9.0.1/24
answer:
  - 10.9.0.0/25
  - 203.0.113.0/24
EOF
start "$CURRENT" "${RUN_OPTS[@]}" -v "$WORK/tunecho.yaml:/etc/tunecho/tunecho.yaml:ro" "$IMAGE"
wait_reply 10.9.0.2
FILE_READY_MS=$READY_MS FILE_JVM_READY_MS=$JVM_READY_MS
pings 3 10.9.0.2
pings 2 203.0.113.77
out=$(in_ns ping -n -c 2 -i 0.2 -W 1 10.9.0.200 2>&1 || true)  # outside the file's answer list
grep -q " 0 received" <<<"$out" || fail "$CURRENT: 10.9.0.200 answered although the file leaves it out"
# transport auto: io_uring, or epoll with the reason (podman's default seccomp profile may refuse io_uring)
podman logs "$CURRENT" 2>&1 | grep -E "answering on tunecho0 \(10\.9\.0\.1/24, mtu 1500, created, \
(io_uring \(auto\)|epoll \(auto: .+\))\): 10\.9\.0\.0/25, 203\.0\.113\.0/24" >/dev/null \
  || fail "$CURRENT: the file was not used: $(podman logs "$CURRENT" 2>&1 | tail -2)"
healthy "$CURRENT"
# peak RSS under load: a bounded flood of 64 outstanding (the bench harness measures the rate)
in_ns timeout 60 ping -n -q -f -l 64 -c 50000 10.9.0.3 >"$WORK/flood.log" 2>&1 || true
grep -q "50000 packets transmitted, 50000 received" "$WORK/flood.log" || fail "$CURRENT: flood: $(tail -2 "$WORK/flood.log")"
RSS_MB=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
THREADS=$(awk '/^Threads:/ { print $2 }' "/proc/$PID/status")
stop "$CURRENT"
FILE_STOP_MS=$STOP_MS
log "config file: first reply ${FILE_READY_MS} ms after podman run (${FILE_JVM_READY_MS} ms after the JVM started), healthy, peak RSS ${RSS_MB} MB after a 50000-ping flood, ${THREADS} threads, stopped in ${FILE_STOP_MS} ms, exit 0"

# ---- 2. options on the command line ----------------------------------------------------------------------------
CURRENT=$ID-options
start "$CURRENT" "${RUN_OPTS[@]}" "$IMAGE" --interface tunecho1 --address 10.10.0.1/24 --answer 10.10.0.0/24,192.0.2.7 \
  --http 127.0.0.1:9464
wait_reply 10.10.0.2
OPT_READY_MS=$READY_MS OPT_JVM_READY_MS=$JVM_READY_MS
# the HTTP server in the container, on its loopback (the host's curl in the container's network namespace): health,
# metrics that count exactly the pings sent, the lab page, and a host taken down through the API for 2 s
get() { in_ns curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
echo_replies() {
  in_ns curl -s http://127.0.0.1:9464/metrics \
    | awk '/^tunecho_replies_total\{.*kind="echo"/ { n += $NF } END { printf "%d", n }'
}
for i in $(seq 50); do # the HTTP server binds just after the interface answers
  [ "$(get http://127.0.0.1:9464/health)" = 200 ] && break
  [ "$i" -lt 50 ] || fail "$CURRENT: /health did not answer 200 within 5 s: $(cat "$WORK/body" 2>&1)"
  sleep 0.1
done
before=$(echo_replies)
pings 3 10.10.0.254
pings 2 192.0.2.7
after=$(echo_replies)
[ $((after - before)) = 5 ] || fail "$CURRENT: tunecho_replies_total{kind=echo} moved by $((after - before)), not 5"
[ "$(get http://127.0.0.1:9464/)" = 200 ] && grep -q "<title>tunecho lab</title>" "$WORK/body" \
  || fail "$CURRENT: the lab page at / was not served"
[ "$(get -X PUT -d '{"state": "down", "for": "2s"}' http://127.0.0.1:9464/api/hosts/10.10.0.9)" = 200 ] \
  || fail "$CURRENT: PUT /api/hosts/10.10.0.9: $(cat "$WORK/body")"
out=$(in_ns ping -n -c 2 -i 0.2 -W 1 10.10.0.9 2>&1 || true)
grep -q " 0 received" <<<"$out" || fail "$CURRENT: 10.10.0.9 answered while down: $(echo "$out" | tail -2)"
sleep 1.5
pings 2 10.10.0.9 # the override expired
get "http://127.0.0.1:9464/api/events?limit=10" >/dev/null
grep -q '"cause" *: *"expiry"' "$WORK/body" || fail "$CURRENT: no expiry in the events: $(cat "$WORK/body")"
healthy "$CURRENT"
stop "$CURRENT"
log "options: first reply ${OPT_READY_MS} ms after podman run (${OPT_JVM_READY_MS} ms after the JVM started), healthy, /health, /metrics, the lab page and the admin API answered, stopped in ${STOP_MS} ms, exit 0"

# ---- 2b. a drill in the container: a scenario file mounted, alerts posted to the API, the report in a volume --------
CURRENT=$ID-drill
mkdir -p "$WORK/report"
cat >"$WORK/drill.yaml" <<'YAML'
name: container-drill
steps:
  - { at: 2s, match: 10.12.0.9, state: down, for: 3s, expect: { alert: 10s, resolve: 10s } }
  - { at: 0s, match: 10.12.0.5, for: 4s, expect: { probed: 2s } }
report: /report/drill.xml
exit: true
YAML
start "$CURRENT" "${RUN_OPTS[@]}" -v "$WORK/drill.yaml:/etc/tunecho/drill.yaml:ro" -v "$WORK/report:/report" \
  "$IMAGE" --address 10.12.0.1/24 --http 127.0.0.1:9464 --scenario /etc/tunecho/drill.yaml
wait_reply 10.12.0.5
in_ns ping -n -q -c 12 -i 0.4 -W 1 10.12.0.5 >"$WORK/drill-ping.log" 2>&1 &  # the probed host, every 0.4 s
step_state() { # the scenario's first step: pending, active, done (or "none" while the HTTP server is not up yet)
  rm -f "$WORK/body"; get http://127.0.0.1:9464/api/scenario >/dev/null || true
  python3 -c 'import json, sys
try: print(json.load(open(sys.argv[1]))["steps"][0]["state"])
except Exception: print("none")' "$WORK/body"
}
alert() { [ "$(get -X POST -d "{\"status\": \"$1\", \"name\": \"HostDown\", \"address\": \"10.12.0.9\"}" http://127.0.0.1:9464/api/alerts)" = 200 ] || fail "$CURRENT: POST /api/alerts ($1): $(cat "$WORK/body")"; }
for i in $(seq 100); do [ "$(step_state)" = active ] && break; [ "$i" -lt 100 ] || fail "$CURRENT: step 1 never started: $(cat "$WORK/body")"; sleep 0.1; done
out=$(in_ns ping -n -c 1 -W 1 10.12.0.9 2>&1 || true)
grep -q " 0 received" <<<"$out" || fail "$CURRENT: 10.12.0.9 answered during its outage"
alert firing
for i in $(seq 100); do [ "$(step_state)" = done ] && break; [ "$i" -lt 100 ] || fail "$CURRENT: step 1 never ended: $(cat "$WORK/body")"; sleep 0.1; done
pings 1 10.12.0.9
alert resolved
code=$(timeout 30 "${N[@]}" podman wait "$CURRENT") || fail "$CURRENT: the drill did not end: $(podman logs "$CURRENT" 2>&1 | tail -3)"
[ "$code" = 0 ] || fail "$CURRENT: exit code $code, expected 0: $(podman logs "$CURRENT" 2>&1 | tail -5)"
grep -q 'failures="0"' "$WORK/report/drill.xml" && [ -s "$WORK/report/drill.json" ] \
  || fail "$CURRENT: no passing report: $(cat "$WORK/report/drill.xml" 2>&1)"
log "drill: a scenario mounted, the alert posted to /api/alerts, exit 0, JUnit XML and JSON in the volume: $(podman logs "$CURRENT" 2>&1 | grep -o 'scenario container-drill.*passed.*' | tail -1)"

# ---- 3. --user in a container: needs SETUID and SETGID as well; afterwards no capability is left ---------------
CURRENT=$ID-user
start "$CURRENT" "${RUN_OPTS[@]}" --cap-add SETUID --cap-add SETGID "$IMAGE" --address 10.11.0.1/24 --user nobody
wait_reply 10.11.0.2
creds=$(awk '/^(Uid|Gid|CapEff|CapPrm|CapAmb):/ { printf "%s %s ", $1, $2 }' "/proc/$PID/status")
[ "$creds" = "Uid: 65534 Gid: 65534 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapAmb: 0000000000000000 " ] \
  || fail "$CURRENT: after --user nobody: $creds"
pings 2 10.11.0.9
stop "$CURRENT"
log "--user nobody: uid/gid 65534, no capabilities, answers, stopped in ${STOP_MS} ms, exit 0"

# ---- 4. what a user gets wrong: tunecho's one-line error and a non-zero exit -----------------------------------
# expect_error NAME EXPECTED OPTIONS...
expect_error() {
  local name=$1 expected=$2 code; shift 2
  CONTAINERS+=("$name")
  set +e
  timeout 60 "${N[@]}" podman run --name "$name" --network none --cap-drop ALL --health-interval disable "$@" "$IMAGE" \
    >"$WORK/$name.out" 2>"$WORK/$name.err"
  code=$?
  set -e
  [ "$code" != 0 ] && [ "$code" != 124 ] || fail "$name: exit code $code, expected a failure"
  grep -v '^time=' "$WORK/$name.err" >"$WORK/$name.lines" || true  # podman's own log lines
  [ "$(wc -l <"$WORK/$name.lines")" = 1 ] && grep -q "^$expected" "$WORK/$name.lines" \
    || fail "$name: expected one line '$expected...', got: $(cat "$WORK/$name.lines" "$WORK/$name.out")"
  log "$name: exit $code: $(cat "$WORK/$name.lines")"
}
expect_error "$ID-no-net-admin" "tunecho: cannot create or attach TUN interface tun0: Operation not permitted (EPERM); run as root or grant CAP_NET_ADMIN (in a container: --cap-add NET_ADMIN --device /dev/net/tun)" \
  --device /dev/net/tun
expect_error "$ID-no-device" "tunecho: cannot open /dev/net/tun: No such file or directory (ENOENT); load the tun module (modprobe tun); in a container pass --device /dev/net/tun" \
  --cap-add NET_ADMIN

# ---- 5. the result ---------------------------------------------------------------------------------------------
echo "docker/test.sh: PASS: image ${SIZE_MB} MB (built in ${BUILD_S} s); ready ${FILE_JVM_READY_MS} / ${OPT_JVM_READY_MS} ms from JVM start (${FILE_READY_MS} / ${OPT_READY_MS} ms from podman run) to first reply (file / options); peak RSS ${RSS_MB} MB after a 50000-ping flood (-l 64); healthy; stop ${FILE_STOP_MS} ms, exit 0; errors without NET_ADMIN and without the device OK"
