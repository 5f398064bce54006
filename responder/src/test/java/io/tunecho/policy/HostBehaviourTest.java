package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.Duplicates;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.LossModel;
import io.tunecho.hosts.ManualClock;
import io.tunecho.hosts.TimelineSpec;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tunecho.samples.Packets.checksum;
import static io.tunecho.samples.Packets.get16;
import static io.tunecho.samples.Packets.get32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host behaviour through the whole pipeline, with a clock and a random generator the test controls. */
class HostBehaviourTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private static final int HOST = 0xC612000A; // 198.18.0.10

    private final ManualClock clock = new ManualClock();
    private final PacketCounters counters = new PacketCounters();
    private final List<ByteBuf> fed = new ArrayList<>();
    private EmbeddedChannel channel;
    private HostTable table;

    private void start(HostSettings settings) {
        start(settings, 10_000, 42);
    }

    private void start(HostSettings settings, int maxDelayed, long seed) {
        table = HostTable.build(new HostConfig(IFACE, List.of(), Map.of(), List.of(new HostSpec(
                IpCidr.ipv4(HOST, 32), null, settings, 0, "test"))), null, clock);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        HostTable t = table;
        ResponderPipeline.builder(counters, () -> t).clock(clock).seed(seed).maxDelayed(maxDelayed).build()
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

    private void send(int seq) {
        ByteBuf b = new Packets.Builder().dst(HOST).seq(seq).buf();
        fed.add(b);
        channel.writeInbound(b);
    }

    private byte[] reply() {
        ByteBuf r = channel.readOutbound();
        if (r == null) {
            return null;
        }
        byte[] bytes = new byte[r.readableBytes()];
        r.getBytes(r.readerIndex(), bytes);
        r.release();
        return bytes;
    }

    private void advance(long millis) {
        advanceNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Moves the test's clock and the event loop's together, and runs what has become due. */
    private void advanceNanos(long nanos) {
        clock.advance(nanos, TimeUnit.NANOSECONDS);
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private HostCounters hostCounters() {
        return table.lookupIpv4(HOST).counters();
    }

    @Test
    void aRequestIsStampedWithTheClocksWallTime() {
        start(HostSettings.builder().build());
        clock.setCurrentTimeMillis(1_234_567_890_123L);
        send(1);
        assertNotNull(reply());
        assertEquals(1_234_567_890_123L, hostCounters().lastProbedMillis(), "the pipeline's clock, not the system's");
        advance(1500);
        send(2);
        assertNotNull(reply());
        assertEquals(1_234_567_891_623L, hostCounters().lastProbedMillis());
    }

    @Test
    void aDownHostIsSilent() {
        start(HostSettings.of(HostSetting.STATE, HostState.DOWN));
        send(1);
        assertNull(reply());
        assertEquals(1, counters.dropped(DropReason.HOST_DOWN));
        assertEquals(1, hostCounters().dropped(HostCounters.Drop.DOWN));
        assertEquals(1, hostCounters().requests());
    }

    @Test
    void anUnreachableHostIsReportedByItsGateway() {
        start(HostSettings.of(HostSetting.STATE, HostState.UNREACHABLE));
        byte[] request = new Packets.Builder().dst(HOST).build();
        ByteBuf in = Unpooled.directBuffer().writeBytes(request);
        fed.add(in);
        channel.writeInbound(in);
        byte[] error = reply();
        assertNotNull(error);
        assertEquals(0x45, error[0] & 0xFF);
        assertEquals(0xC61200FE, get32(error, 12), "from the default gateway, 198.18.0.254");
        assertEquals(get32(request, 12), get32(error, 16), "to the prober");
        assertEquals(0, checksum(error, 0, 20));
        assertEquals(3, error[20], "destination unreachable");
        assertEquals(1, error[21], "host unreachable");
        assertEquals(0, checksum(error, 20, error.length - 20));
        assertArrayEquals(request, Arrays.copyOfRange(error, 28, error.length), "quotes the whole request");
        assertEquals(1, counters.icmpErrorCount());
        assertEquals(0, counters.repliedCount());
        assertEquals(1, hostCounters().errors());
    }

    @Test
    void theReplyCarriesTheHostsTtl() {
        start(HostSettings.of(HostSetting.TTL, 128));
        send(1);
        byte[] r = reply();
        assertEquals(128, r[8] & 0xFF);
        assertEquals(0, checksum(r, 0, 20));
        assertEquals(1, hostCounters().replies());
    }

    @Test
    void totalLossLosesEverything() {
        start(HostSettings.of(HostSetting.LOSS, LossModel.independent(1)));
        for (int i = 0; i < 10; i++) {
            send(i);
        }
        assertNull(reply());
        assertEquals(10, counters.dropped(DropReason.LOSS));
        assertEquals(10, hostCounters().dropped(HostCounters.Drop.LOSS));
    }

    @Test
    void theSameSeedLosesTheSameRequests() {
        List<Integer> first = lostWithSeed(7);
        assertEquals(first, lostWithSeed(7));
        assertTrue(first.size() > 10 && first.size() < 90, first.toString());
    }

    private List<Integer> lostWithSeed(long seed) {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        start(HostSettings.of(HostSetting.LOSS, LossModel.independent(0.5)), 100, seed);
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            send(i);
            if (reply() == null) {
                lost.add(i);
            }
        }
        return lost;
    }

    @Test
    void aDuplicateGoesOutTwice() {
        start(HostSettings.of(HostSetting.DUPLICATE, Duplicates.of(1.0)));
        send(1);
        byte[] a = reply();
        byte[] b = reply();
        assertNotNull(b);
        assertArrayEquals(a, b);
        assertNull(reply());
        assertEquals(2, counters.repliedCount());
    }

    @Test
    void corruptionAltersOneDataByteAndKeepsTheChecksumRight() {
        start(HostSettings.of(HostSetting.CORRUPT, 1.0));
        byte[] request = new Packets.Builder().dst(HOST).build();
        ByteBuf in = Unpooled.directBuffer().writeBytes(request);
        fed.add(in);
        channel.writeInbound(in);
        byte[] r = reply();
        assertEquals(0, checksum(r, 20, r.length - 20), "the checksum still holds");
        int differing = 0;
        for (int i = 28; i < r.length; i++) {
            if (r[i] != request[i]) {
                differing++;
                assertTrue(i >= 28 + 16, "the timestamp ping keeps in the first 16 bytes stays intact");
            }
        }
        assertEquals(1, differing);
        assertEquals(get16(request, 24), get16(r, 24), "identifier");
    }

    @Test
    void aDelayedReplyLeavesAtItsTime() {
        start(HostSettings.of(HostSetting.DELAY, 10_000_000L));
        send(1);
        assertNull(reply(), "held back");
        advance(9);
        assertNull(reply());
        advance(1);
        byte[] r = reply();
        assertNotNull(r);
        assertEquals(0, r[20], "an echo reply");
        assertEquals(1, counters.repliedCount());
    }

    /**
     * One delayed reply whose timer fires {@code lateNanos} after the time it was set for: the test's clock runs on
     * that much further than the event loop's. When that is still before the reply's time (the timer was set the
     * lead before it), the reply is not sent yet: the clock is then moved on to its time.
     */
    private void lateCycle(int seq, long lateNanos) {
        long lead = shaper().leadNanos();
        long wait = 10_000_000L - lead;
        send(seq);
        clock.advance(wait + lateNanos, TimeUnit.NANOSECONDS);
        channel.advanceTimeBy(wait, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        if (lateNanos < lead) {
            assertNull(channel.outboundMessages().peek(), "reply " + seq + " before its time");
            advanceNanos(lead - lateNanos);
        }
        assertNotNull(reply(), "the reply of request " + seq);
    }

    private ReplyShaper shaper() {
        return ResponderPipeline.replyShaper(channel.pipeline());
    }

    @Test
    void theTimerLearnsHowLateItWakesAndIsSetThatMuchEarlier() {
        start(HostSettings.of(HostSetting.DELAY, 10_000_000L));
        assertEquals(0, shaper().leadNanos(), "nothing learnt yet");
        for (int i = 0; i < 400; i++) {
            lateCycle(i, 200_000);
        }
        long lead = shaper().leadNanos();
        assertTrue(lead >= 195_000 && lead <= 205_000, "lead " + lead + " ns for timers 200 us late");
    }

    @Test
    void theLeadFollowsTheMedianLatenessNotARareStall() {
        start(HostSettings.of(HostSetting.DELAY, 10_000_000L));
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 1500; i++) {
            lateCycle(i, r.nextInt(10) == 0 ? 5_000_000 : 100_000); // the mean would be 590 us
        }
        long lead = shaper().leadNanos();
        assertTrue(lead >= 90_000 && lead <= 110_000, "lead " + lead + " ns: the median lateness is 100 us");
    }

    @Test
    void aDelayIsAFloorNoReplyLeavesBeforeItsTime() {
        start(HostSettings.of(HostSetting.DELAY, 10_000_000L));
        for (int i = 0; i < 1500; i++) {
            lateCycle(i, 3_000_000);
        }
        assertEquals(ReplyShaper.MAX_LEAD_NANOS, shaper().leadNanos(), "the lead is capped");
        send(2000);
        advanceNanos(10_000_000L - ReplyShaper.MAX_LEAD_NANOS); // the timer wakes the lead early, on time
        assertNull(reply(), "not before its time: the spin ended by its own bound, the clock did not move");
        advanceNanos(ReplyShaper.MAX_LEAD_NANOS - 1);
        assertNull(reply(), "not 1 ns early");
        advanceNanos(1);
        assertNotNull(reply(), "at its time");
    }

    @Test
    void aReplyDueWithinTheLeadIsSpunForAndSentOnTime() {
        start(HostSettings.of(HostSetting.DELAY, 10_000_000L));
        for (int i = 0; i < 400; i++) {
            lateCycle(i, 200_000);
        }
        long lead = shaper().leadNanos();
        // a clock that moves while the event loop spins: each reading 1 us later than the one before
        clock.autoAdvance(1_000);
        send(3000);
        channel.advanceTimeBy(10_000_000L - lead, TimeUnit.NANOSECONDS);
        clock.advance(10_000_000L - lead, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertNotNull(reply(), "sent in the same wake-up, after spinning through the lead");
    }

    @Test
    void jitterNeverReordersRepliesToOneProber() {
        start(HostSettings.builder().set(HostSetting.DELAY, 10_000_000L).set(HostSetting.JITTER, 8_000_000L).build());
        for (int i = 0; i < 50; i++) {
            send(i);
            advance(1);
        }
        advance(100);
        List<Integer> order = new ArrayList<>();
        byte[] r;
        while ((r = reply()) != null) {
            order.add(get16(r, 26));
        }
        assertEquals(50, order.size());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(i, order.get(i), "replies in the order of their requests: " + order);
        }
    }

    @Test
    void aFullDelayQueueDropsAndCounts() {
        start(HostSettings.of(HostSetting.DELAY, 10_000_000L), 3, 1);
        for (int i = 0; i < 5; i++) {
            send(i);
        }
        assertEquals(2, counters.dropped(DropReason.DELAY_QUEUE_FULL));
        assertEquals(2, hostCounters().dropped(HostCounters.Drop.QUEUE_FULL));
        advance(10);
        int n = 0;
        while (reply() != null) {
            n++;
        }
        assertEquals(3, n);
    }

    @Test
    void heldRepliesAreReleasedWhenTheChannelCloses() {
        start(HostSettings.of(HostSetting.DELAY, 1_000_000_000L));
        for (int i = 0; i < 5; i++) {
            send(i);
        }
        channel.close();
        channel.runPendingTasks();
        assertNull(reply(), "nothing after close");
        // the leak detector (paranoid) and tearDown check that the held copies were released
    }

    @Test
    void aRateLimitRefusesTheExcess() {
        start(HostSettings.of(HostSetting.RATE, 5.0));
        int answered = 0;
        for (int i = 0; i < 20; i++) {
            send(i);
            answered += reply() != null ? 1 : 0;
        }
        assertEquals(5, answered, "one second's worth of tokens");
        assertEquals(15, counters.dropped(DropReason.RATE_LIMITED));
        advance(1000);
        for (int i = 0; i < 20; i++) {
            send(i);
            answered += reply() != null ? 1 : 0;
        }
        assertEquals(10, answered);
    }

    @Test
    void replyLimitsInAllAndPerSource() {
        table = HostTable.build(new HostConfig(IFACE, List.of(), Map.of(), List.of()), null, clock);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        HostTable t = table;
        ResponderPipeline.builder(counters, () -> t).clock(clock).seed(1).replyLimits(10, 4, 1).build()
                .addTo(channel.pipeline());
        int answered = 0;
        for (int i = 0; i < 20; i++) {
            send(i); // one source: its limit, 4
            answered += reply() != null ? 1 : 0;
        }
        assertEquals(4, answered);
        for (int src = 2; src < 20; src++) {
            ByteBuf b = new Packets.Builder().src(0xC6120064 + src).dst(HOST).buf();
            fed.add(b);
            channel.writeInbound(b);
            answered += reply() != null ? 1 : 0;
        }
        assertEquals(10, answered, "10 in all");
        assertEquals(28, counters.dropped(DropReason.REPLY_LIMIT));
    }

    @Test
    void aTimelineTakesTheHostDownAndBackUp() {
        TimelineSpec flap = new TimelineSpec(List.of(
                new TimelineSpec.Step(4_000_000_000L, HostSettings.EMPTY),
                new TimelineSpec.Step(2_000_000_000L, HostSettings.of(HostSetting.STATE, HostState.DOWN))), true);
        start(HostSettings.of(HostSetting.TIMELINE, flap));
        send(1);
        assertNotNull(reply());
        advance(4000);
        send(2);
        assertNull(reply());
        advance(2000);
        send(3);
        assertNotNull(reply());
    }
}
