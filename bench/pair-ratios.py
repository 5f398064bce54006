#!/usr/bin/env python3
"""Pairs the runs of two responders of ../shared/bench/run.sh (same repetition, same invocation) and prints the
median and spread of after/before for W=1 and W=64 replies/s and CPU per 1000 replies at W=64, pooled over every
results.csv given.

    bench/pair-ratios.py AFTER BEFORE /tmp/tunbench-results/*/results.csv
"""
import csv
import statistics
import sys


def main():
    after, before, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    ratios = {"W1 replies/s": [], "W64 replies/s": [], "CPU per 1000 replies, W64": [], "ready ms": []}
    for f in files:
        rows = {}
        for r in csv.DictReader(open(f)):
            rows[(r["run"], r["responder"])] = r
        for (run, name), a in rows.items():
            b = rows.get((run, before))
            if name != after or b is None:
                continue
            ratios["W1 replies/s"].append(float(a["g1_replies_per_s"]) / float(b["g1_replies_per_s"]))
            ratios["W64 replies/s"].append(float(a["gN_replies_per_s"]) / float(b["gN_replies_per_s"]))
            ratios["CPU per 1000 replies, W64"].append(
                (float(a["gN_cpu_ms"]) / float(a["gN_recv"])) / (float(b["gN_cpu_ms"]) / float(b["gN_recv"])))
            ratios["ready ms"].append(float(a["ready_ms"]) / float(b["ready_ms"]))
    for k, v in ratios.items():
        if not v:
            continue
        q = statistics.quantiles(v, n=4) if len(v) > 1 else [v[0], v[0], v[0]]
        print(f"{after}/{before} {k}: median {statistics.median(v):.3f} (IQR {q[0]:.3f}-{q[2]:.3f}, {len(v)} pairs)")


if __name__ == "__main__":
    main()
