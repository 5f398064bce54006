package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a host does, resolved: every setting has a value. Built once per host entry (and per timeline step) when a
 * configuration is loaded, so that answering a packet only reads fields. Immutable.
 */
public final class Behaviour {
    private final HostSettings settings;
    private final int ttl;
    private final long delay;
    private final long jitter;
    private final JitterDistribution distribution;
    private final boolean reorder;
    private final LossModel loss;
    private final Duplicates duplicate;
    private final double corrupt;
    private final double rate;
    private final HostState state;
    private final IpCidr gateway;
    private final PortSet tcpOpen;
    private final boolean drops;
    private final boolean shapes;
    private final Hop[] hops;
    private final boolean limitsRate;
    // delay models: a lognormal's spread, a replayed trace
    /** What {@link JitterDistribution#delayNanos} spreads the delay by: the jitter, or a lognormal's sigma. */
    private final double spread;
    private final long p99;
    private final DelayTrace trace;
    // Misbehaviour (#23): replies that trip real monitors.
    private final IpCidr replyFrom;
    private final boolean rewriteIdentifier;
    private final boolean staleSequence;
    private final LateReplies late;
    private final int[] ttlValues;
    private final long ttlEveryNanos;
    private final EchoIdFilter echoIdFilter;
    /** Whether replies are rewritten on their way out (reply-from, identifier, sequence). */
    private final boolean rewrites;

    /**
     * @param settings every setting with a {@link HostSetting#builtIn()} set (the built-in defaults under the layers)
     */
    public Behaviour(HostSettings settings) {
        this.settings = settings;
        this.ttl = settings.get(HostSetting.TTL);
        this.delay = settings.get(HostSetting.DELAY);
        this.jitter = settings.get(HostSetting.JITTER);
        this.distribution = settings.get(HostSetting.DISTRIBUTION);
        this.reorder = settings.get(HostSetting.REORDER);
        this.loss = settings.get(HostSetting.LOSS);
        this.duplicate = settings.get(HostSetting.DUPLICATE);
        this.corrupt = settings.get(HostSetting.CORRUPT);
        this.rate = settings.get(HostSetting.RATE);
        this.state = settings.get(HostSetting.STATE);
        this.gateway = settings.get(HostSetting.GATEWAY);
        List<Hop> hops = settings.get(HostSetting.HOPS);
        this.hops = hops == null ? NO_HOPS : hops.toArray(new Hop[0]);
        this.tcpOpen = settings.get(HostSetting.TCP);
        Long p99 = settings.get(HostSetting.P99);
        this.p99 = p99 == null ? 0 : p99;
        this.trace = settings.get(HostSetting.TRACE);
        this.spread = distribution == JitterDistribution.LOGNORMAL ? lognormalSigma() : jitter;
        this.replyFrom = settings.get(HostSetting.REPLY_FROM);
        this.rewriteIdentifier = settings.get(HostSetting.IDENTIFIER) == EchoIdentifier.REWRITE;
        this.staleSequence = settings.get(HostSetting.SEQUENCE) == EchoSequence.STALE;
        LateReplies lateReplies = settings.get(HostSetting.LATE);
        this.late = lateReplies == null ? LateReplies.NONE : lateReplies;
        TtlChange ttlChange = settings.get(HostSetting.TTL_CHANGE);
        this.ttlValues = ttlChange == null ? null : ttlChange.toArray();
        this.ttlEveryNanos = ttlChange == null ? 0 : ttlChange.everyNanos();
        this.echoIdFilter = settings.get(HostSetting.ECHO_ID_FILTER);
        this.rewrites = replyFrom != null || rewriteIdentifier || staleSequence;
        this.drops = state != HostState.UP || !loss.isNone();
        this.limitsRate = rate != Double.POSITIVE_INFINITY;
        this.shapes = delay > 0 || jitter > 0 || duplicate.p() > 0 || corrupt > 0 || limitsRate
                || trace != null
                || !late.isNone()
                || rewrites;
    }

    /**
     * The sigma of a lognormal delay, checked: {@code delay} is its median and {@code p99} its 99th percentile, so
     * both are needed and p99 is the longer; the jitter does not apply (p99 sets the spread).
     *
     * @throws IllegalArgumentException what is missing or wrong, in the config file's words
     */
    private double lognormalSigma() {
        if (p99 == 0 || p99 <= delay || delay <= 0) {
            throw new IllegalArgumentException("distribution: lognormal needs delay (its median) longer than 0 and "
                    + "p99 (its 99th percentile) longer than delay; delay is " + Durations.format(delay) + ", p99 "
                    + (p99 == 0 ? "not set" : "is " + Durations.format(p99)));
        }
        if (jitter > 0) {
            throw new IllegalArgumentException("jitter (" + Durations.format(jitter) + ") does not apply to "
                    + "distribution: lognormal, whose spread p99 sets; remove it or set jitter: 0s");
        }
        return JitterDistribution.sigma(delay, p99);
    }

    private static final Hop[] NO_HOPS = new Hop[0];

    /** The hops in front of the host, nearest first; empty when it is on the interface's link. Not to be changed. */
    public Hop[] hops() {
        return hops;
    }

    /** The settings this was resolved from (all set). */
    public HostSettings settings() {
        return settings;
    }

    public int ttl() {
        return ttl;
    }

    public long delayNanos() {
        return delay;
    }

    public JitterDistribution distribution() {
        return distribution;
    }

    public boolean reorder() {
        return reorder;
    }

    public LossModel loss() {
        return loss;
    }

    /** The probability that a reply is sent more than once. */
    public double duplicate() {
        return duplicate.p();
    }

    /** How many times a repeated reply is sent in all (2 or more). */
    public int duplicateCount() {
        return duplicate.count();
    }

    public double corrupt() {
        return corrupt;
    }

    /** Replies per second at most (0: none at all); meaningful when {@link #limitsRate()}. */
    public double rate() {
        return rate;
    }

    /** Whether the replies are limited to {@link #rate()} per second (else there is no limit). */
    public boolean limitsRate() {
        return limitsRate;
    }

    public HostState state() {
        return state;
    }

    /** The address that reports this host unreachable, or {@code null} for the table's default gateway. */
    public IpCidr gateway() {
        return gateway;
    }

    /** The TCP ports that complete a handshake. */
    public PortSet tcpOpen() {
        return tcpOpen;
    }

    // Misbehaviour (#23): replies that trip real monitors.

    /** The source address of the host's replies, or {@code null}: the address asked. */
    public IpCidr replyFrom() {
        return replyFrom;
    }

    /** Whether echo replies carry another identifier than the request's. */
    public boolean rewritesIdentifier() {
        return rewriteIdentifier;
    }

    /** Whether echo replies carry the sequence number of the flow's previous request. */
    public boolean staleSequence() {
        return staleSequence;
    }

    /** Whether replies are rewritten on their way out: {@link #replyFrom}, identifier or sequence. */
    public boolean rewritesReplies() {
        return rewrites;
    }

    /** Which replies are held longer than the delay. */
    public LateReplies late() {
        return late;
    }

    /** Whether the replies' TTL changes over time ({@code ttl-change}): then {@link #ttlAt} gives it. */
    public boolean changesTtl() {
        return ttlValues != null;
    }

    /**
     * The replies' TTL {@code elapsedNanos} after the entry's origin: {@code ttl-change}'s value then, or
     * {@link #ttl()} without one.
     */
    public int ttlAt(long elapsedNanos) {
        if (ttlValues == null) {
            return ttl;
        }
        return ttlValues[(int) Math.floorMod(Math.floorDiv(elapsedNanos, ttlEveryNanos), (long) ttlValues.length)];
    }

    /** The firewall that drops reused echo identifiers, or {@code null}. */
    public EchoIdFilter echoIdFilter() {
        return echoIdFilter;
    }

    /** Whether requests may be refused before they are answered (state not up, or loss). */
    public boolean mayRefuse() {
        return drops;
    }

    /**
     * Whether replies are shaped (delay, jitter, duplicates, corruption, a rate limit, late replies, rewrites): else
     * they go out as built.
     */
    public boolean shapesReplies() {
        return shapes;
    }

    /** The 99th percentile of a lognormal delay, in nanoseconds; 0: none set. */
    public long p99Nanos() {
        return p99;
    }

    /** The recorded round-trip times that replace delay, jitter and distribution, or {@code null}. */
    public DelayTrace trace() {
        return trace;
    }

    /**
     * One delay, drawn from the distribution around the delay, never below zero; with a {@link #trace()}, one of
     * its values drawn at random (where its order cannot be kept: a router on the way, an ICMP error).
     */
    public long sampleDelayNanos(RandomGenerator random) {
        if (trace != null) {
            return trace.anyNanos(random);
        }
        if (spread == 0) {
            return delay;
        }
        return distribution.delayNanos(delay, spread, random);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Behaviour && ((Behaviour) o).settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
