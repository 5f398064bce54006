#!/usr/bin/env bash
# Prints a configuration of 10,000 host entries (/26 each, 10.10.0.0 to 10.19.195.255, two profiles) for
# bench/startup.sh: README.md, "Virtual hosts", "What it costs".
echo "answer: [10.0.0.0/8]"
echo "profiles:"
echo "  a: { ttl: 100 }"
echo "  b: { delay: 1ms }"
echo "hosts:"
for i in $(seq 0 9999); do
  p=b; [ $((i % 2)) = 1 ] && p=a
  echo "  - { match: 10.$((10 + i / 1024)).$(((i / 4) % 256)).$(((i % 4) * 64))/26, profile: $p }"
done
