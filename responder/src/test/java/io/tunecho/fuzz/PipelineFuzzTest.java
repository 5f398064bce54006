package io.tunecho.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.Hop;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole answering pipeline, as the server builds it, on arbitrary packets (and on real packets mutated): no
 * exception escapes, every buffer is released, every packet is answered or counted as dropped (exactly one of the
 * two), and every answer is a valid packet with correct checksums.
 */
class PipelineFuzzTest {
    /** Real requests to start from: an echo request, one with Record Route, an IPv6 echo request. */
    private static final String[] SEEDS = {
        "45000054cdc640004001e0bac6120001c6120002080002131950000159fc056b00000000"
                + "b1610d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
        "4f000047ce0c40004001e85ec6120001c612000201072708c6120001"
                + "00000000000000000000000000000000000000000000000000000000000000000800dcab19520001000102",
        "6000000000303a40fd000198001800000000000000000001fd000198001800000000000000000007"
                + "8000b12312340001101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
    };

    private static ResponderPipeline pipeline;
    private static PacketCounters counters;

    @BeforeAll
    static void setUp() {
        HostTable table = HostTable.build(new HostConfig(IpCidr.parse("198.18.0.1/24"),
                IpCidr.parse("fd00:198:18::1/64"), List.of(), Map.of(), List.of(
                        new HostSpec(IpCidr.parse("198.18.0.20"), null,
                                HostSettings.of(HostSetting.STATE, HostState.DOWN), 0, "fuzz"),
                        new HostSpec(IpCidr.parse("198.18.0.21"), null,
                                HostSettings.of(HostSetting.STATE, HostState.UNREACHABLE), 0, "fuzz"),
                        new HostSpec(IpCidr.parse("198.18.0.30"), null, HostSettings.builder()
                                .set(HostSetting.HOPS, List.of(Hop.of(IpCidr.parse("198.18.0.200")),
                                        Hop.of(IpCidr.parse("198.18.0.201"))))
                                .set(HostSetting.TTL, 128).build(), 0, "fuzz"),
                        new HostSpec(IpCidr.parse("fd00:198:18::30"), null, HostSettings.builder()
                                .set(HostSetting.HOPS, List.of(Hop.of(IpCidr.parse("fd00:198:18::fe")))).build(), 0,
                                "fuzz"))),
                null, Clock.SYSTEM);
        counters = new PacketCounters();
        pipeline = ResponderPipeline.builder(counters, () -> table).seed(1).build();
    }

    @FuzzTest(maxDuration = "30s")
    void anyPacket(FuzzedDataProvider data) {
        byte[] packet;
        if (data.consumeBoolean()) {
            packet = ByteBufUtil.decodeHexDump(SEEDS[data.consumeInt(0, SEEDS.length - 1)]);
            int edits = data.consumeInt(0, 8);
            for (int i = 0; i < edits && packet.length > 0; i++) {
                packet[data.consumeInt(0, packet.length - 1)] = data.consumeByte();
            }
            if (data.consumeBoolean() && packet.length > 1) {
                packet = java.util.Arrays.copyOf(packet, data.consumeInt(0, packet.length + 40));
            }
        } else {
            packet = data.consumeRemainingAsBytes();
        }
        ByteBuf in = Unpooled.directBuffer(Math.max(1, packet.length)).writeBytes(packet);
        long before = outcomes();
        // A channel per packet: a fragment that reassembly keeps is held until the channel closes, and no packet's
        // fate depends on an earlier input (multi-fragment sequences are ReassemblyFuzzTest's)
        EmbeddedChannel channel = new EmbeddedChannel();
        pipeline.addTo(channel.pipeline());
        int answers = 0;
        boolean held;
        try {
            channel.writeInbound(in);
            channel.checkException();
            assertNull(channel.readInbound(), "nothing passes the pipeline's end");
            ByteBuf out;
            while ((out = channel.readOutbound()) != null) {
                try {
                    assertValid(out);
                } finally {
                    out.release();
                }
                answers++;
            }
            held = ResponderPipeline.reassembler(channel.pipeline()).datagrams() > 0;
        } finally {
            channel.finishAndReleaseAll();
        }
        String hex = ByteBufUtil.hexDump(packet);
        // An answer is often written in place in the received buffer, so the buffer is checked only once the
        // answers, like the channel would, have been written and released, and the channel closed.
        assertEquals(0, in.refCnt(), () -> "the packet's buffer was released: " + hex);
        assertTrue(answers <= 1, answers + " answers to one packet");
        if (held) {
            assertEquals(0, answers, () -> "a fragment held for reassembly was answered: " + hex);
            assertEquals(before, outcomes(), () -> "a fragment held for reassembly is no outcome yet: " + counters);
        } else {
            assertEquals(before + 1, outcomes(), () -> "answered or dropped, exactly once: " + counters + " " + hex);
        }
    }

    private static long outcomes() {
        return counters.repliedCount() + counters.icmpErrorCount() + counters.droppedTotal();
    }

    /** An answer is a whole IPv4 or IPv6 packet whose checksums hold. */
    static void assertValid(ByteBuf p) {
        int version = p.getUnsignedByte(p.readerIndex()) >> 4;
        IpPacket ip;
        if (version == 4) {
            Ipv4Packet v4 = new Ipv4Packet().wrap(p);
            assertNull(v4.check(), "a valid IPv4 header");
            assertEquals(p.readableBytes(), v4.totalLength());
            ip = v4;
        } else {
            assertEquals(6, version);
            Ipv6Packet v6 = new Ipv6Packet().wrap(p);
            assertNull(v6.check(), "a valid IPv6 header");
            assertEquals(p.readableBytes(), 40 + v6.payloadLength());
            ip = v6;
        }
        int protocol = ip.upperLayerProtocol();
        if (protocol == IcmpMessage.PROTOCOL_V4 || protocol == IcmpMessage.PROTOCOL_V6) {
            assertTrue(new IcmpMessage().wrapPayloadOf(ip).isChecksumValid(), "a valid ICMP checksum");
        } else if (protocol == 6 || protocol == 17) {
            long sum = ip.pseudoHeaderSum(protocol, ip.upperLayerLength());
            assertTrue(InternetChecksum.isValidSum(InternetChecksum.accumulate(sum, p, ip.upperLayerOffset(),
                    ip.upperLayerLength())), "a valid TCP or UDP checksum");
        }
    }
}
