package io.tunecho.hosts;

import io.tunecho.wire.IpPacket;

import io.tunecho.wire.IpCidr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a profile, of a host entry, of a timeline step or of a run-time override: each one optional
 * ({@code null}: not set here). Layers combine with {@link #overriddenBy}: the built-in defaults, the
 * {@code default} profile, the entry's profile, the entry's own settings, the current timeline step. Immutable.
 */
public final class HostSettings {
    public static final HostSettings EMPTY = new Builder().build();

    /** Linux's behaviour: TTL 64, answering at once, losing nothing. */
    public static final HostSettings BUILT_IN = new Builder()
            .ttl(IpPacket.DEFAULT_TTL).delay(0L).jitter(0L).distribution(JitterDistribution.NORMAL).reorder(false)
            .loss(LossModel.NONE).duplicate(0.0).corrupt(0.0).rate(0.0).state(HostState.UP).tcpOpen(PortSet.NONE)
            .build();

    private final Integer ttl;
    private final Long delay;
    private final Long jitter;
    private final JitterDistribution distribution;
    private final Boolean reorder;
    private final LossModel loss;
    private final Double duplicate;
    private final Double corrupt;
    private final Double rate;
    private final HostState state;
    private final IpCidr gateway;
    private final TimelineSpec timeline;
    private final java.util.List<IpCidr> hops;
    private final PortSet tcpOpen;

    private HostSettings(Builder b) {
        this.hops = b.hops;
        this.ttl = b.ttl;
        this.delay = b.delay;
        this.jitter = b.jitter;
        this.distribution = b.distribution;
        this.reorder = b.reorder;
        this.loss = b.loss;
        this.duplicate = b.duplicate;
        this.corrupt = b.corrupt;
        this.rate = b.rate;
        this.state = b.state;
        this.gateway = b.gateway;
        this.timeline = b.timeline;
        this.tcpOpen = b.tcpOpen;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** These settings with every setting that {@code top} sets replaced by its value. */
    public HostSettings overriddenBy(HostSettings top) {
        if (top == null || top == EMPTY) {
            return this;
        }
        Builder b = toBuilder();
        if (top.ttl != null) {
            b.ttl = top.ttl;
        }
        if (top.delay != null) {
            b.delay = top.delay;
        }
        if (top.jitter != null) {
            b.jitter = top.jitter;
        }
        if (top.distribution != null) {
            b.distribution = top.distribution;
        }
        if (top.reorder != null) {
            b.reorder = top.reorder;
        }
        if (top.loss != null) {
            b.loss = top.loss;
        }
        if (top.duplicate != null) {
            b.duplicate = top.duplicate;
        }
        if (top.corrupt != null) {
            b.corrupt = top.corrupt;
        }
        if (top.rate != null) {
            b.rate = top.rate;
        }
        if (top.state != null) {
            b.state = top.state;
        }
        if (top.gateway != null) {
            b.gateway = top.gateway;
        }
        if (top.timeline != null) {
            b.timeline = top.timeline;
        }
        if (top.hops != null) {
            b.hops = top.hops;
        }
        if (top.tcpOpen != null) {
            b.tcpOpen = top.tcpOpen;
        }
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.ttl = ttl;
        b.delay = delay;
        b.jitter = jitter;
        b.distribution = distribution;
        b.reorder = reorder;
        b.loss = loss;
        b.duplicate = duplicate;
        b.corrupt = corrupt;
        b.rate = rate;
        b.state = state;
        b.gateway = gateway;
        b.timeline = timeline;
        b.hops = hops;
        b.tcpOpen = tcpOpen;
        return b;
    }

    public Integer ttl() {
        return ttl;
    }

    /** Nanoseconds. */
    public Long delay() {
        return delay;
    }

    /** Nanoseconds. */
    public Long jitter() {
        return jitter;
    }

    public JitterDistribution distribution() {
        return distribution;
    }

    public Boolean reorder() {
        return reorder;
    }

    public LossModel loss() {
        return loss;
    }

    public Double duplicate() {
        return duplicate;
    }

    public Double corrupt() {
        return corrupt;
    }

    /** Replies per second; 0: no limit. */
    public Double rate() {
        return rate;
    }

    public HostState state() {
        return state;
    }

    public IpCidr gateway() {
        return gateway;
    }

    public TimelineSpec timeline() {
        return timeline;
    }

    /** The virtual routers in front of the host, nearest first (single addresses). */
    public java.util.List<IpCidr> hops() {
        return hops;
    }

    /** The TCP ports that complete a handshake; every other port answers a SYN with a reset. */
    public PortSet tcpOpen() {
        return tcpOpen;
    }

    /** The settings that are set, by their config-file names, as text (for logs, events and the admin API). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "state", state);
        put(m, "ttl", ttl);
        put(m, "delay", delay == null ? null : Durations.format(delay));
        put(m, "jitter", jitter == null ? null : Durations.format(jitter));
        put(m, "distribution", distribution);
        put(m, "reorder", reorder);
        put(m, "loss", loss);
        put(m, "duplicate", duplicate == null ? null : LossModel.percent(duplicate));
        put(m, "corrupt", corrupt == null ? null : LossModel.percent(corrupt));
        put(m, "rate", rate == null ? null : rate == Math.rint(rate) ? Long.toString(rate.longValue())
                : rate.toString());
        put(m, "gateway", gateway == null ? null : gateway.addressText());
        put(m, "hops", hops == null ? null : hops.stream().map(IpCidr::addressText)
                .collect(java.util.stream.Collectors.joining(", ", "[", "]")));
        put(m, "tcp", tcpOpen == null ? null : "{open: " + tcpOpen + "}");
        put(m, "timeline", timeline);
        return m;
    }

    private static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostSettings)) {
            return false;
        }
        HostSettings s = (HostSettings) o;
        return Objects.equals(ttl, s.ttl) && Objects.equals(delay, s.delay) && Objects.equals(jitter, s.jitter)
                && distribution == s.distribution && Objects.equals(reorder, s.reorder) && Objects.equals(loss, s.loss)
                && Objects.equals(duplicate, s.duplicate) && Objects.equals(corrupt, s.corrupt)
                && Objects.equals(rate, s.rate) && state == s.state && Objects.equals(gateway, s.gateway)
                && Objects.equals(timeline, s.timeline) && Objects.equals(hops, s.hops)
                && Objects.equals(tcpOpen, s.tcpOpen);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, delay, jitter, distribution, reorder, loss, duplicate, corrupt, rate, state, gateway,
                timeline, hops, tcpOpen);
    }

    @Override
    public String toString() {
        return describe().toString();
    }

    /** Sets settings one by one; unset ones stay {@code null}. */
    public static final class Builder {
        private Integer ttl;
        private Long delay;
        private Long jitter;
        private JitterDistribution distribution;
        private Boolean reorder;
        private LossModel loss;
        private Double duplicate;
        private Double corrupt;
        private Double rate;
        private HostState state;
        private IpCidr gateway;
        private TimelineSpec timeline;
        private java.util.List<IpCidr> hops;
        private PortSet tcpOpen;

        public Builder ttl(Integer v) {
            ttl = v;
            return this;
        }

        public Builder delay(Long nanos) {
            delay = nanos;
            return this;
        }

        public Builder jitter(Long nanos) {
            jitter = nanos;
            return this;
        }

        public Builder distribution(JitterDistribution v) {
            distribution = v;
            return this;
        }

        public Builder reorder(Boolean v) {
            reorder = v;
            return this;
        }

        public Builder loss(LossModel v) {
            loss = v;
            return this;
        }

        public Builder duplicate(Double v) {
            duplicate = v;
            return this;
        }

        public Builder corrupt(Double v) {
            corrupt = v;
            return this;
        }

        public Builder rate(Double perSecond) {
            rate = perSecond;
            return this;
        }

        public Builder state(HostState v) {
            state = v;
            return this;
        }

        public Builder gateway(IpCidr v) {
            gateway = v;
            return this;
        }

        public Builder timeline(TimelineSpec v) {
            timeline = v;
            return this;
        }

        public Builder hops(java.util.List<IpCidr> v) {
            hops = v == null ? null : java.util.List.copyOf(v);
            return this;
        }

        public Builder tcpOpen(PortSet v) {
            tcpOpen = v;
            return this;
        }

        public HostSettings build() {
            return new HostSettings(this);
        }
    }
}
