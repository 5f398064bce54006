#!/usr/bin/env bash
# tunecho as a responder of ../shared/bench/run.sh with its HTTP server on and /metrics scraped once a second, as a
# Prometheus server would: what metrics cost the packet path.
#
#   ../shared/bench/run.sh -r 3 c-tun 'plain@self=java -jar '$PWD'/target/tunecho.jar --interface {TUN} --address {CIDR}' \
#     'scraped@self='$PWD'/bench/scrape-responder.sh '$PWD'/target/tunecho.jar --interface {TUN} --address {CIDR}'
#
# The scrapes use bash's /dev/tcp (no process per scrape), so the CPU the harness counts for this process tree is
# tunecho's and a shell's read loop. Bounded: at most SCRAPES (default 900) scrapes, one every INTERVAL seconds.
# Runs where the harness runs it: inside the harness's network namespace, on its loopback.
set -u
[ $# -ge 1 ] || { echo "usage: $0 JAR [tunecho options]" >&2; exit 2; }
JAR=$1
shift
PORT=${PORT:-9464} INTERVAL=${INTERVAL:-1} SCRAPES=${SCRAPES:-900} LOG=${LOG:-/dev/null}
java -jar "$JAR" --http "127.0.0.1:$PORT" "$@" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null' TERM INT
(
  for i in $(seq "$SCRAPES"); do
    sleep "$INTERVAL"
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || continue
    printf 'GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
    lines=0
    while IFS= read -r -u 3 line; do
      lines=$((lines + 1))
      case $line in tunecho_delayed*) echo "scrape $i: $line" >>"$LOG" ;; esac
    done
    exec 3<&-
    echo "scrape $i: $lines lines" >>"$LOG"
  done
) &
wait $pid
