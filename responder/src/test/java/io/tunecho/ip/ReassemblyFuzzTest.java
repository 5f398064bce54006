package io.tunecho.ip;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.samples.Fragments;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tunecho.samples.Packets.put16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reassembly in the server's pipeline on sequences of fragments that fuzzing chooses: cuts at any offset and of any
 * length, overlaps, duplicates, missing and extra pieces, two datagrams interleaved, IPv4 and IPv6, answered, down
 * and unanswered destinations, and time passing between them (so time-outs and their ICMP errors happen). Small caps,
 * so that they are hit. Asserted: nothing escapes, the caps hold after every fragment, every packet written is a
 * valid packet (with a valid ICMP checksum when it is whole), and once the channel closes every fragment's buffer was
 * released and nothing is held.
 */
class ReassemblyFuzzTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private static final int[] V4_DESTINATIONS = {Packets.PEER, 0xC6120014 /* down */, 0xCB007105 /* unanswered */};
    private static final long[] V6_DESTINATIONS = {Fragments.V6_PEER_LOW, 0x14 /* down */};
    private static final ReassemblyLimits LIMITS = new ReassemblyLimits(4, ReassemblyLimits.MIN_MAX_BYTES,
            Duration.ofSeconds(30), Duration.ofSeconds(60));
    private static final HostTable TABLE = HostTable.build(new HostConfig(IFACE,
            List.of(IFACE.subnet(), IpCidr.parse("fd00:198:18::/64")), Map.of(), List.of(
                    new HostSpec(IpCidr.parse("198.18.0.20"), null,
                            HostSettings.of(HostSetting.STATE, HostState.DOWN), 0, "fuzz"),
                    new HostSpec(IpCidr.parse("fd00:198:18::14"), null,
                            HostSettings.of(HostSetting.STATE, HostState.DOWN), 0, "fuzz"))),
            null, new ManualClock());

    @FuzzTest(maxDuration = "20s")
    void fragments(FuzzedDataProvider data) {
        ManualClock clock = new ManualClock();
        PacketCounters counters = new PacketCounters();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        ResponderPipeline.builder(counters, () -> TABLE).clock(clock).seed(1).reassembly(LIMITS).build()
                .addTo(channel.pipeline());
        Reassembler reassembler = ResponderPipeline.reassembler(channel.pipeline());
        List<ByteBuf> fed = new ArrayList<>();
        try {
            boolean v6 = data.consumeBoolean();
            byte[] upper = v6 ? icmpv6EchoRequest(data.consumeInt(0, 4000)) : icmpEchoRequest(data.consumeInt(0, 4000));
            int n = data.consumeInt(1, 12);
            for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
                int offset = data.consumeBoolean() ? data.consumeInt(0, upper.length) & ~7 : data.consumeInt(0, 8191) * 8;
                int length = data.consumeInt(0, 1600);
                boolean more = data.consumeBoolean() ? offset + length < upper.length : data.consumeBoolean();
                int id = data.consumeBoolean() ? 0x4242 : data.consumeInt();
                byte[] piece = piece(upper, offset, length, data.consumeByte());
                byte[] packet = v6
                        ? Fragments.ipv6Fragment(data.pickValue(V6_DESTINATIONS), id, offset & 0xFFF8, more, piece)
                        : Fragments.ipv4Fragment(data.pickValue(V4_DESTINATIONS), id, offset & 0xFFF8, more, piece);
                ByteBuf buf = Fragments.buf(packet);
                fed.add(buf);
                channel.writeInbound(buf);
                channel.checkException();
                assertNull(channel.readInbound(), "nothing passes the pipeline's end");
                assertTrue(reassembler.datagrams() <= LIMITS.maxDatagrams(), reassembler.datagrams() + " datagrams");
                assertTrue(reassembler.heldBytes() <= LIMITS.maxBytes(), reassembler.heldBytes() + " bytes held");
                if (data.consumeBoolean()) {
                    long nanos = TimeUnit.SECONDS.toNanos(data.consumeInt(0, 70));
                    clock.advance(nanos, TimeUnit.NANOSECONDS);
                    channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
                    channel.runScheduledPendingTasks();
                    channel.checkException();
                }
                drainAndCheck(channel);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        assertEquals(0, reassembler.datagrams(), "closing forgets every datagram");
        assertEquals(0, reassembler.heldBytes());
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a fragment's buffer was not released");
        }
    }

    /** {@code length} bytes of the datagram's data from {@code offset}, padded with {@code fill} past its end. */
    private static byte[] piece(byte[] upper, int offset, int length, byte fill) {
        byte[] p = new byte[length];
        Arrays.fill(p, fill);
        if (offset < upper.length) {
            System.arraycopy(upper, offset, p, 0, Math.min(length, upper.length - offset));
        }
        return p;
    }

    /** The ICMP part of an echo request of {@code size} bytes of data, 198.18.0.1 to 198.18.0.2. */
    private static byte[] icmpEchoRequest(int size) {
        byte[] whole = Fragments.echoRequest(size, 1);
        return Arrays.copyOfRange(whole, 20, whole.length);
    }

    /** An ICMPv6 echo request of {@code size} bytes of data, its checksum for fd00:198:18::1 to ::2. */
    private static byte[] icmpv6EchoRequest(int size) {
        byte[] whole = new byte[40 + 8 + size];
        whole[0] = 0x60;
        put16(whole, 4, 8 + size);
        whole[6] = 58;
        whole[7] = 64;
        Fragments.putLong(whole, 8, Fragments.V6_HOST_HIGH);
        Fragments.putLong(whole, 16, Fragments.V6_HOST_LOW);
        Fragments.putLong(whole, 24, Fragments.V6_HOST_HIGH);
        Fragments.putLong(whole, 32, Fragments.V6_PEER_LOW);
        whole[40] = (byte) 128;
        put16(whole, 44, 0x1234);
        put16(whole, 46, 1);
        for (int i = 0; i < size; i++) {
            whole[48 + i] = (byte) i;
        }
        put16(whole, 42, Fragments.icmpv6Checksum(whole, 40));
        return Arrays.copyOfRange(whole, 40, whole.length);
    }

    /** Reads what was written: each a valid IP packet; a whole ICMP message's checksum holds. */
    private static void drainAndCheck(EmbeddedChannel channel) {
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            try {
                int version = out.getUnsignedByte(out.readerIndex()) >> 4;
                if (version == 4) {
                    Ipv4Packet ip = new Ipv4Packet().wrap(out);
                    assertNull(ip.check(), "a valid IPv4 header");
                    assertEquals(out.readableBytes(), ip.totalLength());
                    if (!ip.isFragment() && ip.protocol() == IcmpMessage.PROTOCOL_V4) {
                        assertTrue(new IcmpMessage().wrapPayloadOf(ip).isChecksumValid(), "a valid ICMP checksum");
                    }
                } else {
                    assertEquals(6, version);
                    Ipv6Packet ip = new Ipv6Packet().wrap(out);
                    assertNull(ip.check(), "a valid IPv6 header");
                    assertEquals(out.readableBytes(), 40 + ip.payloadLength());
                    if (!ip.isFragment() && ip.upperLayerProtocol() == IcmpMessage.PROTOCOL_V6) {
                        assertTrue(new IcmpMessage().wrapPayloadOf(ip).isChecksumValid(), "a valid ICMPv6 checksum");
                    }
                }
            } finally {
                out.release();
            }
        }
    }
}
