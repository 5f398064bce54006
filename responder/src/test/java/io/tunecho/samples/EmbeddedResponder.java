package io.tunecho.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.packet.PacketCounters;
import io.tunecho.policy.ReplyShaper;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole {@link ResponderPipeline} on an {@link EmbeddedChannel}, with a {@link ManualClock} and a seed the test
 * controls: the channel's time is frozen and moves only with the clock ({@link #advance}). Every buffer fed in is
 * kept, and {@link #close()} checks that the pipeline released each of them.
 */
public final class EmbeddedResponder implements AutoCloseable {
    /** The interface's IPv4 address and prefix, 198.18.0.1/24. */
    public static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    /** The interface's IPv6 address and prefix, fd00:198:18::1/64. */
    public static final IpCidr IFACE6 = IpCidr.parse("fd00:198:18::1/64");

    private final ManualClock clock = new ManualClock();
    private final PacketCounters counters = new PacketCounters();
    private final List<ByteBuf> fed = new ArrayList<>();
    private final HostTable table;
    private final EmbeddedChannel channel;
    private boolean closed;

    private EmbeddedResponder(Builder b) {
        table = HostTable.build(b.config, null, clock);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        HostTable t = table;
        ResponderPipeline.builder(counters, () -> t).clock(clock).seed(b.seed).maxDelayed(b.maxDelayed).mtu(b.mtu)
                .replyLimits(b.repliesPerSecond, b.repliesPerSource, b.queues).build().addTo(channel.pipeline());
    }

    /** A host entry as the tests write them: no profile, order 0, source "test". */
    public static HostSpec host(IpCidr address, HostSettings settings) {
        return new HostSpec(address, null, settings, 0, "test");
    }

    /** A host entry for one IPv4 address. */
    public static HostSpec host(int ipv4, HostSettings settings) {
        return host(IpCidr.ipv4(ipv4, 32), settings);
    }

    /** A responder for these hosts behind {@link #IFACE} and {@link #IFACE6}, with the builder's defaults. */
    public static EmbeddedResponder of(HostSpec... hosts) {
        return builder().hosts(List.of(hosts)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public EmbeddedChannel channel() {
        return channel;
    }

    public ManualClock clock() {
        return clock;
    }

    public PacketCounters counters() {
        return counters;
    }

    public HostTable table() {
        return table;
    }

    /** The counters of the host that answers this IPv4 address. */
    public HostCounters hostCounters(int ipv4) {
        return table.lookupIpv4(ipv4).counters();
    }

    public ReplyShaper shaper() {
        return ResponderPipeline.replyShaper(channel.pipeline());
    }

    /** Keeps {@code b} for the release check at {@link #close()} and returns it. */
    public ByteBuf track(ByteBuf b) {
        fed.add(b);
        return b;
    }

    /** Writes one packet into the pipeline (kept for the release check). */
    public void send(ByteBuf packet) {
        channel.writeInbound(track(packet));
    }

    /** Writes a copy of {@code packet} into the pipeline in a direct buffer, as the device reads it. */
    public void send(byte[] packet) {
        send(Unpooled.directBuffer().writeBytes(packet));
    }

    /** The next packet the pipeline wrote, released, as bytes; {@code null} when there is none. */
    public byte[] reply() {
        ByteBuf r = channel.readOutbound();
        if (r == null) {
            return null;
        }
        byte[] bytes = ByteBufUtil.getBytes(r);
        r.release();
        return bytes;
    }

    public void advance(long millis) {
        advanceNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Moves the test's clock and the event loop's together, and runs what has become due. */
    public void advanceNanos(long nanos) {
        clock.advance(nanos, TimeUnit.NANOSECONDS);
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    /**
     * Closes the channel, releasing what is still in it, and checks that every buffer fed in was released.
     *
     * @return whether any message was left in the channel
     */
    public boolean finish() {
        boolean left = !closed && channel.finishAndReleaseAll();
        closed = true;
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a packet was not released");
        }
        return left;
    }

    @Override
    public void close() {
        finish();
    }

    /** What the responder is built from; each setting has the default most tests want. */
    public static final class Builder {
        private HostConfig config = new HostConfig(IFACE, IFACE6, List.of(), Map.of(), List.of());
        private long seed = 42;
        private int maxDelayed = ResponderPipeline.Builder.DEFAULT_MAX_DELAYED;
        private int mtu = ResponderPipeline.Builder.DEFAULT_MTU;
        private double repliesPerSecond;
        private double repliesPerSource;
        private int queues = 1;

        private Builder() {
        }

        /** The whole host configuration (its interface addresses included). */
        public Builder config(HostConfig config) {
            this.config = config;
            return this;
        }

        /** These hosts behind {@link #IFACE} and {@link #IFACE6}. */
        public Builder hosts(List<HostSpec> hosts) {
            return config(new HostConfig(IFACE, IFACE6, List.of(), Map.of(), hosts));
        }

        /** The seed of the pipeline's random decisions; 42 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder maxDelayed(int maxDelayed) {
            this.maxDelayed = maxDelayed;
            return this;
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** See {@link ResponderPipeline.Builder#replyLimits}; no limits by default. */
        public Builder replyLimits(double perSecond, double perSource, int queues) {
            this.repliesPerSecond = perSecond;
            this.repliesPerSource = perSource;
            this.queues = queues;
            return this;
        }

        public EmbeddedResponder build() {
            return new EmbeddedResponder(this);
        }
    }
}
