package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.DelayTrace;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A host with a trace: each address's replies leave after the trace's values, in order, looping. */
class TraceReplayTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private static final int A = 0xC612000A; // 198.18.0.10
    private static final int B = 0xC612000B; // 198.18.0.11
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock();
    private final List<ByteBuf> fed = new ArrayList<>();
    private EmbeddedChannel channel;
    private int seq;

    private void start(HostSettings settings) {
        HostTable table = HostTable.build(new HostConfig(IFACE, List.of(), Map.of(), List.of(new HostSpec(
                IpCidr.parse("198.18.0.8/29"), null, settings, 0, "test"))), null, clock);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        ResponderPipeline.builder(new PacketCounters(), () -> table).clock(clock).seed(42).build()
                .addTo(channel.pipeline());
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a packet was not released");
        }
    }

    /** Pings {@code dst} and returns how many whole ms its reply waited; the reply comes from {@code dst}. */
    private long delayMillis(int dst) {
        ByteBuf b = new Packets.Builder().dst(dst).seq(++seq).buf();
        fed.add(b);
        channel.writeInbound(b);
        for (long ms = 0; ms <= 1000; ms++) {
            ByteBuf r = channel.readOutbound();
            if (r != null) {
                int from = r.getInt(r.readerIndex() + 12);
                r.release();
                assertEquals(dst, from, "the reply's source");
                return ms;
            }
            clock.advance(1, TimeUnit.MILLISECONDS);
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        return fail("no reply within 1 s");
    }

    @Test
    void eachAddressReplaysTheTraceInOrderLooping() {
        start(HostSettings.of(HostSetting.TRACE, new DelayTrace("ramp.txt", new long[] {10 * MS, 20 * MS, 30 * MS})));
        long[] got = {delayMillis(A), delayMillis(A), delayMillis(B), delayMillis(A), delayMillis(B), delayMillis(A),
                delayMillis(B), delayMillis(B)};
        // A: 10, 20, 30, 10 (looped); B, interleaved, from its own start: 10, 20, 30, 10
        assertEquals(List.of(10L, 20L, 10L, 30L, 20L, 10L, 30L, 10L), toList(got));
    }

    @Test
    void aReplyLeavesAtTheTracesValueNotBefore() {
        start(HostSettings.of(HostSetting.TRACE, new DelayTrace("t", new long[] {7_500_000})));
        ByteBuf b = new Packets.Builder().dst(A).seq(1).buf();
        fed.add(b);
        channel.writeInbound(b);
        clock.advance(7_499_999, TimeUnit.NANOSECONDS);
        channel.advanceTimeBy(7_499_999, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound(), "1 ns before the trace's value");
        clock.advance(1, TimeUnit.NANOSECONDS);
        channel.advanceTimeBy(1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        ByteBuf r = channel.readOutbound();
        assertEquals(A, r.getInt(r.readerIndex() + 12));
        r.release();
    }

    @Test
    void theTraceReplacesDelayAndJitter() {
        start(HostSettings.builder().set(HostSetting.DELAY, 100 * MS).set(HostSetting.JITTER, 50 * MS)
                .set(HostSetting.TRACE, new DelayTrace("t", new long[] {5 * MS, 0})).build());
        assertEquals(List.of(5L, 0L, 5L), toList(new long[] {delayMillis(A), delayMillis(A), delayMillis(A)}));
    }

    private static List<Long> toList(long[] a) {
        List<Long> l = new ArrayList<>();
        for (long v : a) {
            l.add(v);
        }
        return l;
    }
}
