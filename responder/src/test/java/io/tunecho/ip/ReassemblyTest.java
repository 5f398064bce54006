package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;
import io.tunecho.policy.ReplyShaper;
import io.tunecho.policy.UpHosts;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.samples.Fragments;
import io.tunecho.samples.Packets;
import io.tunecho.wire.Defect;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static io.tunecho.samples.Fragments.V6_HOST_HIGH;
import static io.tunecho.samples.Fragments.V6_HOST_LOW;
import static io.tunecho.samples.Fragments.V6_PEER_LOW;
import static io.tunecho.samples.Fragments.bytes;
import static io.tunecho.samples.Fragments.icmpv6Checksum;
import static io.tunecho.samples.Fragments.ipv4Fragment;
import static io.tunecho.samples.Fragments.ipv6Fragment;
import static io.tunecho.samples.Fragments.range;
import static io.tunecho.samples.Packets.HOST;
import static io.tunecho.samples.Packets.PEER;
import static io.tunecho.samples.Packets.checksum;
import static io.tunecho.samples.Packets.get16;
import static io.tunecho.samples.Packets.get32;
import static io.tunecho.samples.Packets.put16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fragment reassembly ({@link Reassembler}), on fragments Linux sent into a TUN and on fragments built byte by byte:
 * in the server's pipeline (requests in, fragmented replies out) and as a stage alone (whole datagrams out).
 */
class ReassemblyTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private static final int DOWN_HOST = 0xC6120014; // 198.18.0.20
    private static final int NOT_ANSWERED = 0xCB007105; // 203.0.113.5

    private final ManualClock clock = new ManualClock();
    private final PacketCounters counters = new PacketCounters();
    private final List<ByteBuf> fed = new ArrayList<>();
    private EmbeddedChannel channel;
    private Reassembler reassembler;
    private boolean stageAlone;

    private static HostTable hosts() {
        HostConfig config = new HostConfig(IFACE, List.of(IFACE.subnet(), IpCidr.parse("fd00:198:18::/64")),
                Map.of(), List.of(new HostSpec(IpCidr.ipv4(DOWN_HOST, 32), null,
                        HostSettings.of(HostSetting.STATE, HostState.DOWN), 0, "test")));
        return HostTable.build(config, null, new ManualClock());
    }

    /** The server's pipeline (MTU 1500): requests in, replies out, in fragments when larger than the MTU. */
    private void server(ReassemblyLimits limits) {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        HostTable table = hosts();
        ResponderPipeline.builder(counters, () -> table).clock(clock).seed(7).reassembly(limits).build()
                .addTo(channel.pipeline());
        reassembler = ResponderPipeline.reassembler(channel.pipeline());
    }

    /**
     * The reassembly stage after what it relies on (version, IPv4 validation, an IPv6 header check as the IPv6
     * validator will make it): whole datagrams come out at the pipeline's end, ICMP errors on the outbound side,
     * through the reply stage that counts them as they leave.
     */
    private void stage(ReassemblyLimits limits) {
        stageAlone = true;
        channel = new EmbeddedChannel();
        channel.freezeTime();
        PacketContext packet = new PacketContext();
        HostTable table = hosts();
        reassembler = new Reassembler(counters, packet, new UpHosts(() -> table), clock, limits);
        SplittableRandom random = new SplittableRandom(7);
        channel.pipeline().addLast(new ReplyShaper(counters, packet, clock, random, 10, new Fragmenter(1500, random)),
                new IpVersionDispatcher(counters, packet), new Ipv4Validator(counters, packet, true),
                new Ipv6Check(counters, packet), reassembler);
    }

    /** Validates IPv6 headers, as the IPv6 stage of the pipeline does once IPv6 is answered. */
    static final class Ipv6Check extends PacketHandler {
        Ipv6Check(PacketCounters counters, PacketContext packet) {
            super(counters, packet);
        }

        @Override
        protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
            if (packet.isIpv6()) {
                Defect d = packet.ipv6().check();
                if (d != null) {
                    drop(DropReason.of(d), buf);
                    return;
                }
            }
            ctx.fireChannelRead(buf);
        }
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
            assertEquals(0, reassembler.datagrams(), "closing forgets every datagram");
            assertEquals(0, reassembler.heldBytes());
        }
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a fragment was not released");
        }
    }

    private void feed(byte[] packet) {
        ByteBuf b = Fragments.buf(packet);
        fed.add(b);
        channel.writeInbound(b);
        if (stageAlone) {
            channel.flushOutbound(); // in the server's pipeline, the protocol stage flushes after each read burst
        }
    }

    private void feed(List<byte[]> packets) {
        packets.forEach(this::feed);
    }

    private List<byte[]> written() {
        if (stageAlone) {
            channel.flushOutbound(); // in the server's pipeline, the protocol stage flushes after each read burst
        }
        List<byte[]> out = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.add(bytes(b));
            b.release();
        }
        return out;
    }

    private byte[] whole() {
        ByteBuf b = channel.readInbound();
        if (b == null) {
            return null;
        }
        byte[] bytes = bytes(b);
        b.release();
        assertNull(channel.readInbound(), "one datagram");
        return bytes;
    }

    private void advanceSeconds(double seconds) {
        long nanos = (long) (seconds * 1e9);
        clock.advance(nanos, TimeUnit.NANOSECONDS);
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    /** The reply a Linux host sends to the datagram the fragments make, with the reply's identification. */
    private static void assertEchoReplyTo(List<byte[]> request, List<byte[]> replyFragments) {
        byte[] expected = Fragments.echoReplyTo(Fragments.reassembleIpv4(request));
        byte[] reply = Fragments.reassembleIpv4(replyFragments);
        put16(expected, 4, get16(reply, 4));
        put16(expected, 10, 0);
        put16(expected, 10, checksum(expected, 0, 20));
        assertArrayEquals(expected, reply);
    }

    private static List<byte[]> ping() {
        return Fragments.load(Fragments.PING_S8000);
    }

    private static List<byte[]> ping6() {
        return Fragments.load(Fragments.PING6_S8000);
    }

    // ---- IPv4, through the server's pipeline ----

    @Test
    void answersTheCapturedPingInFragments() {
        server(ReassemblyLimits.DEFAULTS);
        List<byte[]> request = ping();
        feed(request);
        List<byte[]> reply = written();
        assertEquals(6, reply.size());
        assertEchoReplyTo(request, reply);
        assertEquals(1, counters.repliedCount());
        assertEquals(0, counters.droppedTotal(), counters.toString());
        assertEquals(0, reassembler.datagrams());
        assertEquals(0, reassembler.heldBytes());
    }

    @Test
    void answersWhateverOrderTheFragmentsComeIn() {
        server(ReassemblyLimits.DEFAULTS);
        List<byte[]> request = ping();
        List<byte[]> reversed = new ArrayList<>(request);
        Collections.reverse(reversed);
        feed(reversed);
        assertEchoReplyTo(request, written());
        Random random = new Random(11);
        for (int i = 0; i < 20; i++) {
            List<byte[]> shuffled = new ArrayList<>(request);
            Collections.shuffle(shuffled, random);
            feed(shuffled);
            assertEchoReplyTo(request, written());
        }
        assertEquals(21, counters.repliedCount());
        assertEquals(0, counters.droppedTotal(), counters.toString());
    }

    @Test
    void answersTheLargestPing() {
        server(ReassemblyLimits.DEFAULTS);
        byte[] datagram = Fragments.echoRequest(65_507, 3);
        assertEquals(65_535, datagram.length);
        List<byte[]> request = Fragments.cutIpv4(datagram, 1500, 0x4242);
        assertEquals(45, request.size());
        feed(request);
        List<byte[]> reply = written();
        assertEquals(45, reply.size());
        assertEchoReplyTo(request, reply);
    }

    @Test
    void aDuplicateIsDroppedAndTheDatagramCompletes() {
        server(ReassemblyLimits.DEFAULTS);
        List<byte[]> request = ping();
        feed(request.get(0));
        feed(request.get(1));
        feed(request.get(1));
        feed(request.get(0));
        feed(request.subList(2, 6));
        assertEchoReplyTo(request, written());
        assertEquals(2, counters.dropped(DropReason.FRAGMENT_DUPLICATE));
        assertEquals(2, counters.droppedTotal(), counters.toString());
    }

    @Test
    void dataThatArrivedInTwoFragmentsIsADuplicate() {
        stage(ReassemblyLimits.DEFAULTS);
        byte[] data = new byte[32];
        feed(ipv4Fragment(PEER, 9, 0, true, range(data, 0, 16)));
        feed(ipv4Fragment(PEER, 9, 16, true, range(data, 16, 32)));
        feed(ipv4Fragment(PEER, 9, 8, true, range(data, 8, 24))); // within the two, back to back
        assertEquals(1, counters.dropped(DropReason.FRAGMENT_DUPLICATE));
        assertEquals(1, reassembler.datagrams());
        feed(ipv4Fragment(PEER, 9, 32, false, new byte[8]));
        assertEquals(40, whole().length - 20);
    }

    @Test
    void anOverlapDropsTheWholeDatagramAsLinuxDoes() {
        server(ReassemblyLimits.DEFAULTS);
        List<byte[]> request = ping();
        feed(request.get(0));
        feed(request.get(1));
        // data at 2000..3480: part of it is the second fragment's (1480..2960)
        byte[] overlapping = request.get(2).clone();
        put16(overlapping, 6, 0x2000 | 2000 / 8);
        put16(overlapping, 10, 0);
        put16(overlapping, 10, checksum(overlapping, 0, 20));
        feed(overlapping);
        assertEquals(3, counters.dropped(DropReason.FRAGMENT_OVERLAP), counters.toString());
        assertEquals(0, reassembler.datagrams());
        // what comes after is a new datagram without its first fragment: it never completes
        feed(request.subList(2, 6));
        assertEquals(1, reassembler.datagrams());
        assertTrue(written().isEmpty());
        advanceSeconds(30);
        assertTrue(written().isEmpty(), "no time exceeded without the first fragment");
        assertEquals(4, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
        assertEquals(0, counters.repliedCount());
    }

    @Test
    void aMissingLastFragmentTimesOutWithTimeExceeded() {
        server(ReassemblyLimits.DEFAULTS);
        List<byte[]> request = ping();
        feed(request.subList(0, 5));
        advanceSeconds(29.9);
        assertTrue(written().isEmpty());
        assertEquals(1, reassembler.datagrams());
        advanceSeconds(0.1);
        List<byte[]> out = written();
        assertEquals(1, out.size());
        byte[] error = out.get(0);
        byte[] first = request.get(0);
        // RFC 792 time exceeded, code 1, from the address pinged, quoting the first fragment within 576 bytes
        assertEquals(576, error.length);
        assertEquals(0x45, error[0] & 0xFF);
        assertEquals(0xC0, error[1] & 0xFF, "precedence internetwork control, as Linux");
        assertEquals(576, get16(error, 2));
        assertEquals(0, get16(error, 6));
        assertEquals(64, error[8] & 0xFF);
        assertEquals(1, error[9]);
        assertEquals(0, checksum(error, 0, 20));
        assertEquals(PEER, get32(error, 12));
        assertEquals(HOST, get32(error, 16));
        assertEquals(11, error[20]);
        assertEquals(1, error[21]);
        assertEquals(0, checksum(error, 20, error.length - 20));
        assertEquals(0, get32(error, 24));
        assertArrayEquals(range(first, 0, 548), range(error, 28, 576));
        assertEquals(5, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
        assertEquals(1, counters.icmpErrorCount());
        assertEquals(0, reassembler.datagrams());
        assertEquals(0, reassembler.heldBytes());
    }

    @Test
    void aMissingFirstFragmentTimesOutSilently() {
        server(ReassemblyLimits.DEFAULTS);
        feed(ping().subList(1, 6));
        advanceSeconds(30);
        assertTrue(written().isEmpty());
        assertEquals(5, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
        assertEquals(0, counters.icmpErrorCount());
    }

    @Test
    void theTimeOutCountsFromTheFirstArrival() {
        server(ReassemblyLimits.DEFAULTS.withTimeout(Duration.ofSeconds(5)));
        List<byte[]> request = ping();
        feed(request.get(0));
        advanceSeconds(4);
        feed(request.subList(1, 5));
        advanceSeconds(1);
        assertEquals(1, written().size(), "time exceeded 5 s after the first fragment, not the last");
        assertEquals(5, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
    }

    @Test
    void aHostThatIsDownOrNotAnsweredSendsNoTimeExceeded() {
        server(ReassemblyLimits.DEFAULTS);
        feed(ipv4Fragment(DOWN_HOST, 1, 0, true, new byte[16]));
        feed(ipv4Fragment(NOT_ANSWERED, 1, 0, true, new byte[16]));
        advanceSeconds(30);
        assertTrue(written().isEmpty());
        assertEquals(2, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
    }

    @Test
    void anIcmpErrorGetsNoTimeExceeded() {
        server(ReassemblyLimits.DEFAULTS);
        byte[] unreachable = new byte[16];
        unreachable[0] = 3; // destination unreachable
        feed(ipv4Fragment(PEER, 1, 0, true, unreachable));
        advanceSeconds(30);
        assertTrue(written().isEmpty());
        assertEquals(1, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
    }

    @Test
    void datagramsTimeOutEachAtItsOwnTime() {
        stage(ReassemblyLimits.DEFAULTS);
        feed(ipv4Fragment(NOT_ANSWERED, 1, 8, true, new byte[8]));
        advanceSeconds(10);
        feed(ipv4Fragment(NOT_ANSWERED, 2, 8, true, new byte[8]));
        feed(ipv6Fragment(V6_PEER_LOW, 3, 8, true, new byte[8]));
        advanceSeconds(20);
        assertEquals(1, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
        advanceSeconds(10);
        assertEquals(2, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
        advanceSeconds(29.9);
        assertEquals(2, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
        advanceSeconds(0.1);
        assertEquals(3, counters.dropped(DropReason.REASSEMBLY_TIMEOUT), "IPv6: 60 s");
        assertEquals(0, reassembler.datagrams());
    }

    @Test
    void dataNotAMultipleOfEightBeforeTheLastIsRefused() {
        stage(ReassemblyLimits.DEFAULTS);
        feed(ipv4Fragment(PEER, 1, 0, true, new byte[1001]));
        feed(ipv4Fragment(PEER, 1, 8, true, new byte[0]));
        feed(ipv4Fragment(PEER, 1, 8, false, new byte[0]));
        assertEquals(3, counters.dropped(DropReason.FRAGMENT_BAD_LENGTH));
        assertEquals(0, reassembler.datagrams());
        feed(ipv4Fragment(PEER, 1, 0, true, new byte[8]));
        feed(ipv4Fragment(PEER, 1, 8, false, new byte[3])); // the last may have any length
        assertEquals(11, whole().length - 20);
    }

    @Test
    void aDatagramLongerThan65535IsDropped() {
        stage(ReassemblyLimits.DEFAULTS);
        feed(ipv4Fragment(PEER, 1, 0, true, new byte[1480]));
        feed(ipv4Fragment(PEER, 1, 65_504, false, new byte[16])); // 20 + 65,520 bytes
        assertEquals(2, counters.dropped(DropReason.FRAGMENT_OVERSIZED), counters.toString());
        assertEquals(0, reassembler.datagrams());
        feed(ipv4Fragment(PEER, 2, 65_504, false, new byte[11])); // 20 + 65,515: the largest there is
        assertEquals(2, counters.dropped(DropReason.FRAGMENT_OVERSIZED));
        assertEquals(1, reassembler.datagrams());
    }

    @Test
    void fragmentsThatDisagreeOnTheEndDropTheDatagram() {
        stage(ReassemblyLimits.DEFAULTS);
        feed(ipv4Fragment(PEER, 1, 16, false, new byte[16]));
        feed(ipv4Fragment(PEER, 1, 32, true, new byte[8])); // data past the end
        assertEquals(2, counters.dropped(DropReason.FRAGMENT_INCONSISTENT));
        feed(ipv4Fragment(PEER, 2, 16, false, new byte[16]));
        feed(ipv4Fragment(PEER, 2, 8, false, new byte[8])); // another end
        assertEquals(4, counters.dropped(DropReason.FRAGMENT_INCONSISTENT));
        feed(ipv4Fragment(PEER, 3, 24, true, new byte[16]));
        feed(ipv4Fragment(PEER, 3, 8, false, new byte[8])); // an end before data that arrived
        assertEquals(6, counters.dropped(DropReason.FRAGMENT_INCONSISTENT));
        assertEquals(0, reassembler.datagrams());
    }

    @Test
    void datagramsAreTellApartBySourceDestinationProtocolAndIdentification() {
        stage(ReassemblyLimits.DEFAULTS);
        byte[] a = ipv4Fragment(PEER, 1, 0, true, new byte[8]);
        byte[] otherProtocol = ipv4Fragment(PEER, 1, 8, false, new byte[8]);
        otherProtocol[9] = 17;
        put16(otherProtocol, 10, 0);
        put16(otherProtocol, 10, checksum(otherProtocol, 0, 20));
        feed(a);
        feed(otherProtocol);
        feed(ipv4Fragment(PEER + 1, 1, 8, false, new byte[8]));
        feed(ipv4Fragment(PEER, 2, 8, false, new byte[8]));
        assertEquals(4, reassembler.datagrams());
        assertNull(whole());
        feed(ipv4Fragment(PEER, 1, 8, false, new byte[8]));
        assertEquals(36, whole().length);
    }

    @Test
    void wholePacketsPassUntouched() {
        stage(ReassemblyLimits.DEFAULTS);
        ByteBuf ping = new Packets.Builder().buf();
        fed.add(ping);
        channel.writeInbound(ping);
        ByteBuf out = channel.readInbound();
        assertSame(ping, out);
        out.release();
        assertEquals(0, reassembler.datagrams());
    }

    @Test
    void withoutAReassemblyStageFragmentsAreDropped() {
        channel = new EmbeddedChannel();
        PacketContext packet = new PacketContext();
        reassembler = new Reassembler(counters, packet, new UpHosts(ReassemblyTest::hosts), clock, ReassemblyLimits.DEFAULTS);
        channel.pipeline().addLast(new IpVersionDispatcher(counters, packet), new Ipv4Validator(counters, packet,
                false));
        feed(ping().get(0));
        feed(ping().get(3));
        assertEquals(2, counters.dropped(DropReason.FRAGMENT));
    }

    // ---- caps ----

    @Test
    void theOldestDatagramMakesRoomWhenTooManyAreInReassembly() {
        stage(new ReassemblyLimits(4, ReassemblyLimits.DEFAULT_MAX_BYTES, Duration.ofSeconds(30),
                Duration.ofSeconds(60)));
        for (int id = 1; id <= 5; id++) {
            feed(ipv4Fragment(PEER, id, 0, true, new byte[8]));
            advanceSeconds(0.001);
        }
        assertEquals(4, reassembler.datagrams());
        assertEquals(1, counters.dropped(DropReason.REASSEMBLY_CAP));
        feed(ipv4Fragment(PEER, 1, 8, false, new byte[8])); // the first went: this starts again
        assertNull(whole());
        assertEquals(2, counters.dropped(DropReason.REASSEMBLY_CAP), "datagram 2 made room");
        feed(ipv4Fragment(PEER, 3, 8, false, new byte[8]));
        assertEquals(16, whole().length - 20);
        assertEquals(3, reassembler.datagrams());
    }

    @Test
    void theOldestDatagramsMakeRoomWhenTheirBytesExceedTheCap() {
        long cap = ReassemblyLimits.MIN_MAX_BYTES; // 65,536: 43 fragments of 1,500 bytes
        stage(new ReassemblyLimits(1024, cap, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        for (int id = 1; id <= 50; id++) {
            feed(ipv4Fragment(PEER, id, 0, true, new byte[1480]));
            assertTrue(reassembler.heldBytes() <= cap, () -> reassembler.heldBytes() + " bytes held");
        }
        assertEquals(43, reassembler.datagrams());
        assertEquals(43 * 1500, reassembler.heldBytes());
        assertEquals(7, counters.dropped(DropReason.REASSEMBLY_CAP));
        feed(ipv4Fragment(PEER, 50, 1480, false, new byte[100]));
        assertEquals(1580, whole().length - 20, "the newest datagram completes");
    }

    @Test
    void aDatagramLargerThanTheByteCapIsDropped() {
        long cap = ReassemblyLimits.MIN_MAX_BYTES;
        server(new ReassemblyLimits(1024, cap, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        List<byte[]> request = Fragments.cutIpv4(Fragments.echoRequest(65_507, 1), 1500, 77);
        for (byte[] f : request) {
            feed(f);
            assertTrue(reassembler.heldBytes() <= cap);
        }
        assertTrue(written().isEmpty());
        assertEquals(44, counters.dropped(DropReason.REASSEMBLY_CAP), "43 held, and the one that did not fit");
        assertEquals(1, reassembler.datagrams(), "the last fragment begins another datagram");
        assertEquals(0, counters.repliedCount());
    }

    @Test
    void aFloodOfFragmentsThatNeverCompleteStaysWithinTheCapsAndAPingStillGetsThrough() {
        server(ReassemblyLimits.DEFAULTS);
        Random random = new Random(5);
        int mostDatagrams = 0;
        long mostBytes = 0;
        for (int i = 0; i < 20_000; i++) {
            // first many datagrams of a fragment or two, then fewer of many fragments; none has a last fragment
            int ids = i < 10_000 ? 1 << 16 : 128;
            int dst = 0xC6120000 | 2 + random.nextInt(4);
            feed(ipv4Fragment(dst, random.nextInt(ids), 1480 * random.nextInt(40), true, new byte[1480]));
            assertTrue(reassembler.datagrams() <= ReassemblyLimits.DEFAULT_MAX_DATAGRAMS);
            assertTrue(reassembler.heldBytes() <= ReassemblyLimits.DEFAULT_MAX_BYTES);
            mostDatagrams = Math.max(mostDatagrams, reassembler.datagrams());
            mostBytes = Math.max(mostBytes, reassembler.heldBytes());
            if (i % 5000 == 4999) {
                List<byte[]> request = ping();
                feed(request);
                assertEchoReplyTo(request, written());
            }
        }
        assertEquals(ReassemblyLimits.DEFAULT_MAX_DATAGRAMS, mostDatagrams, "the flood reached the datagram cap");
        assertTrue(mostBytes > ReassemblyLimits.DEFAULT_MAX_BYTES - 1500, "and the byte cap: " + mostBytes);
        assertEquals(4, counters.repliedCount());
        assertTrue(counters.dropped(DropReason.REASSEMBLY_CAP) > 10_000, counters.toString());
        advanceSeconds(30);
        assertEquals(0, reassembler.datagrams());
        assertEquals(0, reassembler.heldBytes());
        assertEquals(20_000, counters.droppedTotal(), "every fragment of the flood, and none of the pings: "
                + counters);
    }

    // ---- IPv6 ----

    @Test
    void reassemblesTheCapturedPing6() {
        stage(ReassemblyLimits.DEFAULTS);
        List<byte[]> fragments = ping6();
        feed(fragments);
        byte[] packet = whole();
        assertArrayEquals(Fragments.reassembleIpv6(fragments), packet);
        assertEquals(8048, packet.length, "40 + 8 + 8000");
        assertEquals(58, packet[6], "the fragment header is gone: ICMPv6 follows the fixed header");
        assertEquals(8008, get16(packet, 4));
        assertEquals(128, packet[40] & 0xFF);
        assertEquals(0, icmpv6Checksum(packet, 40), "the whole message's checksum holds");
        assertEquals(0, counters.droppedTotal());
    }

    @Test
    void reassemblesPing6WhateverTheOrder() {
        stage(ReassemblyLimits.DEFAULTS);
        List<byte[]> fragments = ping6();
        byte[] expected = Fragments.reassembleIpv6(fragments);
        Random random = new Random(3);
        for (int i = 0; i < 10; i++) {
            List<byte[]> shuffled = new ArrayList<>(fragments);
            Collections.shuffle(shuffled, random);
            feed(shuffled);
            assertArrayEquals(expected, whole());
        }
    }

    @Test
    void keepsTheUnfragmentablePartOfIpv6() {
        stage(ReassemblyLimits.DEFAULTS);
        // fd00:198:18::1 -> ::2, a hop-by-hop header (PadN), then an ICMPv6 echo request of 3000 bytes of data
        byte[] packet = new byte[40 + 8 + 8 + 3000];
        packet[0] = 0x60;
        put16(packet, 4, packet.length - 40);
        packet[6] = 0;
        packet[7] = 64;
        Fragments.putLong(packet, 8, V6_HOST_HIGH);
        Fragments.putLong(packet, 16, V6_HOST_LOW);
        Fragments.putLong(packet, 24, V6_HOST_HIGH);
        Fragments.putLong(packet, 32, V6_PEER_LOW);
        packet[40] = 58;
        packet[42] = 1;
        packet[43] = 4;
        packet[48] = (byte) 128;
        for (int i = 56; i < packet.length; i++) {
            packet[i] = (byte) i;
        }
        put16(packet, 50, icmpv6Checksum(packet, 48));
        List<byte[]> fragments = Fragments.cutIpv6(packet, 48, 1280, 0x1234);
        assertEquals(3, fragments.size());
        Collections.reverse(fragments);
        feed(fragments);
        assertArrayEquals(packet, whole());
    }

    @Test
    void anIpv6OverlapDropsTheWholeDatagramSilently() {
        stage(ReassemblyLimits.DEFAULTS);
        List<byte[]> fragments = ping6();
        feed(fragments.get(0));
        feed(fragments.get(1));
        byte[] overlapping = fragments.get(2).clone();
        put16(overlapping, 42, 2000 | 1); // 2000..3448 overlaps 1448..2896
        feed(overlapping);
        assertEquals(3, counters.dropped(DropReason.FRAGMENT_OVERLAP));
        assertTrue(written().isEmpty(), "RFC 5722: silently");
        assertEquals(0, reassembler.datagrams());
    }

    @Test
    void anIpv6DuplicateIsHarmless() {
        stage(ReassemblyLimits.DEFAULTS);
        List<byte[]> fragments = ping6();
        feed(fragments.get(5));
        feed(fragments.get(5));
        feed(fragments.subList(0, 5));
        assertArrayEquals(Fragments.reassembleIpv6(fragments), whole());
        assertEquals(1, counters.dropped(DropReason.FRAGMENT_DUPLICATE));
    }

    @Test
    void anIpv6TimeOutSendsTimeExceededAfter60Seconds() {
        stage(ReassemblyLimits.DEFAULTS);
        List<byte[]> fragments = ping6();
        feed(fragments.subList(0, 5));
        advanceSeconds(59.9);
        assertTrue(written().isEmpty());
        advanceSeconds(0.1);
        List<byte[]> out = written();
        assertEquals(1, out.size());
        byte[] error = out.get(0);
        byte[] first = fragments.get(0);
        // RFC 4443 3.3: time exceeded, code 1, from the address pinged, quoting the first fragment within 1280 bytes
        assertEquals(1280, error.length);
        assertEquals(0x60, error[0] & 0xFF);
        assertEquals(1240, get16(error, 4));
        assertEquals(58, error[6]);
        assertEquals(64, error[7]);
        assertArrayEquals(range(first, 24, 40), range(error, 8, 24), "from the address pinged");
        assertArrayEquals(range(first, 8, 24), range(error, 24, 40), "to the pinger");
        assertEquals(3, error[40]);
        assertEquals(1, error[41]);
        assertEquals(0, icmpv6Checksum(error, 40));
        assertArrayEquals(range(first, 0, 1232), range(error, 48, 1280));
        assertEquals(5, counters.dropped(DropReason.REASSEMBLY_TIMEOUT));
    }

    @Test
    void anIpv6FragmentWithDataNotAMultipleOfEightGetsParameterProblem() {
        stage(ReassemblyLimits.DEFAULTS);
        byte[] echo = new byte[100];
        echo[0] = (byte) 128; // an echo request: an error is never about an error
        byte[] bad = ipv6Fragment(V6_PEER_LOW, 5, 0, true, echo);
        feed(bad);
        assertEquals(1, counters.icmpErrorCount(), "answered with an error: its one outcome, " + counters);
        assertEquals(0, counters.droppedTotal(), counters.toString());
        List<byte[]> out = written();
        assertEquals(1, out.size());
        byte[] error = out.get(0);
        assertEquals(4, error[40], "parameter problem");
        assertEquals(0, error[41], "erroneous header field");
        assertEquals(4, get32(error, 44), "pointing at the payload length");
        assertEquals(0, icmpv6Checksum(error, 40));
        assertArrayEquals(bad, range(error, 48, error.length));
    }

    @Test
    void anIpv6FragmentBeyond65535GetsParameterProblemAndTheRestStays() {
        stage(ReassemblyLimits.DEFAULTS);
        feed(ipv6Fragment(V6_PEER_LOW, 5, 0, true, new byte[16]));
        feed(ipv6Fragment(V6_PEER_LOW, 5, 65_528, false, new byte[16]));
        assertEquals(1, counters.icmpErrorCount(), "answered with an error: its one outcome, " + counters);
        assertEquals(0, counters.dropped(DropReason.FRAGMENT_OVERSIZED));
        List<byte[]> out = written();
        assertEquals(1, out.size());
        assertEquals(4, out.get(0)[40]);
        assertEquals(42, get32(out.get(0), 44), "pointing at the fragment offset");
        assertEquals(1, reassembler.datagrams(), "the datagram's other fragments stay");
    }

    @Test
    void anIpv6AtomicFragmentIsAWholePacket() {
        stage(ReassemblyLimits.DEFAULTS);
        byte[] atomic = ipv6Fragment(V6_PEER_LOW, 5, 0, false, new byte[16]);
        ByteBuf b = Fragments.buf(atomic);
        fed.add(b);
        channel.writeInbound(b);
        ByteBuf out = channel.readInbound();
        assertSame(b, out);
        out.release();
        assertEquals(0, reassembler.datagrams());
    }

    @Test
    void ipv6DatagramsAreToldApartByAddressesAndIdentification() {
        stage(ReassemblyLimits.DEFAULTS);
        feed(ipv6Fragment(V6_PEER_LOW, 1, 0, true, new byte[8]));
        feed(ipv6Fragment(V6_PEER_LOW + 1, 1, 8, false, new byte[8]));
        feed(ipv6Fragment(V6_PEER_LOW, 2, 8, false, new byte[8]));
        assertNull(whole());
        assertEquals(3, reassembler.datagrams());
        feed(ipv6Fragment(V6_PEER_LOW, 1, 8, false, new byte[8]));
        byte[] packet = whole();
        assertNotNull(packet);
        assertEquals(56, packet.length);
        assertEquals(Arrays.toString(new byte[16]), Arrays.toString(range(packet, 40, 56)));
    }
}
