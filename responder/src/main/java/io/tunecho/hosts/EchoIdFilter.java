package io.tunecho.hosts;

/**
 * A stateful firewall in front of a host ({@code echo-id-filter}), as some drop a reused ICMP echo identifier: once
 * an identifier has been seen from a source for longer than {@code after}, that source's echo requests with it are
 * dropped. The firewall forgets an identifier it has not seen for {@code idle} (as conntrack forgets an ICMP flow
 * after 30 s); dropped requests count as seen, so a prober that keeps its identifier and probes more often than
 * that keeps failing until it changes it (the blackbox exporter's ICMP prober, until it restarts). Immutable.
 *
 * @param afterNanos how long an identifier passes before it is dropped, 0 or more
 * @param idleNanos  how long an identifier unseen is remembered, more than 0
 */
public record EchoIdFilter(long afterNanos, long idleNanos) {
    /** The default of {@code idle}: Linux's conntrack time-out of an ICMP flow (nf_conntrack_icmp_timeout). */
    public static final long DEFAULT_IDLE_NANOS = 30_000_000_000L;

    public EchoIdFilter {
        if (afterNanos < 0) {
            throw new IllegalArgumentException("after must be 0 or longer");
        }
        if (idleNanos <= 0) {
            throw new IllegalArgumentException("idle must be longer than 0");
        }
    }

    /** As the config file writes it: {@code {after: 60s, idle: 30s}}. */
    @Override
    public String toString() {
        return "{after: " + Durations.format(afterNanos) + ", idle: " + Durations.format(idleNanos) + "}";
    }
}
