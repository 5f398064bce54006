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
    private final double duplicate;
    private final double corrupt;
    private final double rate;
    private final HostState state;
    private final IpCidr gateway;
    private final PortSet tcpOpen;
    private final boolean drops;
    private final boolean shapes;
    private final Hop[] hops;
    private final boolean limitsRate;

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
        this.drops = state != HostState.UP || !loss.isNone();
        this.limitsRate = rate != Double.POSITIVE_INFINITY;
        this.shapes = delay > 0 || jitter > 0 || duplicate > 0 || corrupt > 0 || limitsRate;
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

    public double duplicate() {
        return duplicate;
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

    /** Whether requests may be refused before they are answered (state not up, or loss). */
    public boolean mayRefuse() {
        return drops;
    }

    /** Whether replies are shaped (delay, jitter, duplicates, corruption, a rate limit): else they go out as built. */
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
