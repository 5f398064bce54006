#!/usr/bin/env python3
"""Pairs the runs of two responders of ../shared/bench/run.sh (same repetition, same invocation) and prints the
median and spread of after/before for W=1 and W=64 replies/s and CPU per 1000 replies at W=64, pooled over every
results.csv given. Then the ratio of their best repeats: the highest rate and the lowest CPU per reply each
responder reached. On these VMs a responder's run falls now and then into a slow phase of the machine (every
responder, C included, loses a quarter of its rate for some tens of seconds); the phase hits one run of a pair and
not the other, while a responder's best repeat is one that it missed.

    bench/pair-ratios.py AFTER BEFORE /tmp/tunbench-results/*/results.csv
"""
import csv
import statistics
import sys

FIGURES = {
    "W1 replies/s": (lambda r: float(r["g1_replies_per_s"]), max),
    "W64 replies/s": (lambda r: float(r["gN_replies_per_s"]), max),
    "CPU per 1000 replies, W64": (lambda r: float(r["gN_cpu_ms"]) / float(r["gN_recv"]), min),
    "ready ms": (lambda r: float(r["ready_ms"]), min),
}


def main():
    after, before, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    ratios = {k: [] for k in FIGURES}
    values = {k: ([], []) for k in FIGURES}
    for f in files:
        rows = {}
        for r in csv.DictReader(open(f)):
            rows[(r["run"], r["responder"])] = r
        for (run, name), a in rows.items():
            b = rows.get((run, before))
            if name != after or b is None:
                continue
            for k, (value, _) in FIGURES.items():
                ratios[k].append(value(a) / value(b))
                values[k][0].append(value(a))
                values[k][1].append(value(b))
    for k, v in ratios.items():
        if not v:
            continue
        q = statistics.quantiles(v, n=4) if len(v) > 1 else [v[0], v[0], v[0]]
        best = FIGURES[k][1]
        a, b = values[k]
        print(f"{after}/{before} {k}: median {statistics.median(v):.3f} (IQR {q[0]:.3f}-{q[2]:.3f}, {len(v)} pairs);"
              f" best repeats {best(a):.4g} / {best(b):.4g} = {best(a) / best(b):.3f}")


if __name__ == "__main__":
    main()
