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
    private final IpCidr[] hops;
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
        List<IpCidr> hops = settings.get(HostSetting.HOPS);
        this.hops = hops == null ? NO_HOPS : hops.toArray(new IpCidr[0]);
        this.tcpOpen = settings.get(HostSetting.TCP);
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
        this.shapes = delay > 0 || jitter > 0 || duplicate.p() > 0 || corrupt > 0 || rate > 0
                || !late.isNone()
                || rewrites;
    }

    private static final IpCidr[] NO_HOPS = new IpCidr[0];

    /** The virtual routers in front of the host, nearest first; empty when it is on the interface's link. */
    public IpCidr[] hops() {
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

    /** Replies per second at most; 0: no limit. */
    public double rate() {
        return rate;
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

    /** One delay, with jitter drawn from the distribution, never below zero. */
    public long sampleDelayNanos(RandomGenerator random) {
        if (jitter == 0) {
            return delay;
        }
        long d = delay + (long) (jitter * distribution.sample(random));
        return Math.max(0, d);
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
