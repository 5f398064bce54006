package io.tunecho.http;

import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.wire.IpCidr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well the monitoring covers each host entry, for the metrics: the entry's addresses, how many of them were never
 * probed, and how many were not probed within the coverage interval. Computed once per scrape by walking the probe
 * table (at most its bound of addresses), and kept until the next, so that each entry's gauges read one snapshot. An
 * address the table forgot counts as never probed.
 */
final class ProbeCoverage {
    private final ProbeTable probes;
    private final long coverageMillis;
    private HostTable sized;
    /** The answered addresses of each entry of {@link #sized}, by its counters. */
    private Map<HostCounters, Double> addresses = Map.of();
    /** Per entry: addresses probed, addresses probed within the coverage interval. */
    private final Map<HostCounters, long[]> probed = new IdentityHashMap<>();

    /** @param probes the table, or {@code null} when probes are not tracked (then nothing was ever probed) */
    ProbeCoverage(ProbeTable probes, long coverageNanos) {
        this.probes = probes;
        this.coverageMillis = coverageNanos / 1_000_000;
    }

    /** Takes a new snapshot of the table against the host table in force. */
    void update(HostTable table) {
        if (table != sized) {
            addresses = addressCounts(table);
            sized = table;
        }
        probed.clear();
        if (probes == null) {
            return;
        }
        long since = probes.clock().currentTimeMillis() - coverageMillis;
        probes.forEach((v6, hi, lo, n, last) -> {
            HostEntry e = v6 ? table.lookupIpv6(hi, lo) : table.lookupIpv4((int) lo);
            if (e != null && e.isHost()) {
                long[] p = probed.computeIfAbsent(e.counters(), c -> new long[2]);
                p[0]++;
                if (last >= since) {
                    p[1]++;
                }
            }
        });
    }

    /** The addresses the entry answers (its prefix, less the addresses of more specific entries within it). */
    double addresses(HostCounters entry) {
        return addresses.getOrDefault(entry, 0.0);
    }

    double neverProbed(HostCounters entry) {
        long[] p = probed.get(entry);
        return Math.max(0, addresses(entry) - (p == null ? 0 : p[0]));
    }

    /** Addresses not probed within the coverage interval, those never probed included. */
    double notProbed(HostCounters entry) {
        long[] p = probed.get(entry);
        return Math.max(0, addresses(entry) - (p == null ? 0 : p[1]));
    }

    /**
     * The addresses each host entry answers: the size of its prefix less the prefixes nested directly within it in
     * the host table (more specific entries, and the addresses no host answers). One pass over the prefixes sorted
     * by network and length, with the prefixes that contain the current one on a stack.
     */
    static Map<HostCounters, Double> addressCounts(HostTable table) {
        List<HostEntry> all = new ArrayList<>();
        table.prefixes().entries().forEach(e -> all.add(e.getValue()));
        all.sort(Comparator.comparing((HostEntry e) -> e.match().isIpv6())
                .thenComparing(e -> e.match().high(), Long::compareUnsigned)
                .thenComparing(e -> e.match().low(), Long::compareUnsigned)
                .thenComparingInt(e -> e.match().prefixLength()));
        Map<HostEntry, Double> sizes = new IdentityHashMap<>();
        Deque<HostEntry> open = new ArrayDeque<>();
        for (HostEntry e : all) {
            while (!open.isEmpty() && !open.peek().match().contains(e.match())) {
                open.pop();
            }
            double size = size(e.match());
            sizes.put(e, size);
            if (!open.isEmpty()) {
                sizes.merge(open.peek(), -size, Double::sum);
            }
            open.push(e);
        }
        Map<HostCounters, Double> counts = new HashMap<>();
        sizes.forEach((e, n) -> {
            if (e.isHost()) {
                counts.put(e.counters(), n);
            }
        });
        return counts;
    }

    private static double size(IpCidr prefix) {
        return Math.pow(2, prefix.maxPrefixLength() - prefix.prefixLength());
    }
}
