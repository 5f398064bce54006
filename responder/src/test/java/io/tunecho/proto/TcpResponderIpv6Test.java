package io.tunecho.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.ManualClock;
import io.tunecho.hosts.PortSet;
import io.tunecho.ip.IpVersionDispatcher;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.samples.Packets;
import io.tunecho.samples.TcpPackets.Reply;
import io.tunecho.samples.TcpPackets.Segment;
import io.tunecho.samples.TcpPackets;
import io.tunecho.wire.TcpSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tunecho.samples.TcpPackets.ACK;
import static io.tunecho.samples.TcpPackets.FIN;
import static io.tunecho.samples.TcpPackets.RST;
import static io.tunecho.samples.TcpPackets.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * TCP over IPv6. The pipeline drops IPv6 until IPv6 hosts are answered, so this runs {@link TcpResponder} behind the
 * version stage and a stand-in for the IPv6 host stage (it checks the header and sets the host's behaviour, as
 * {@link HostLookup} does for IPv4), in the {@link ProtocolDispatcher}'s IPv6 table as the pipeline registers it.
 */
class TcpResponderIpv6Test {
    private final ManualClock clock = new ManualClock();
    private final PacketCounters counters = new PacketCounters();
    private final PacketContext packet = new PacketContext();
    private final List<ByteBuf> fed = new ArrayList<>();
    private EmbeddedChannel channel;
    private int hopLimit = 64;

    /** What the IPv6 host stage will do: a valid header, and the host's behaviour and hop limit in the context. */
    private final class Ipv6HostStandIn extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            assertNull(packet.ipv6().check(), "a valid IPv6 packet");
            packet.ipv6().trimToPayloadLength();
            packet.answeredBy(null, new Behaviour(HostSettings.BUILT_IN.overriddenBy(
                    HostSettings.of(HostSetting.TCP, PortSet.of(22, 443)))), hopLimit);
            ctx.fireChannelRead(msg);
        }
    }

    @BeforeEach
    void setUp() {
        TcpResponder tcp = new TcpResponder(new SynCookies(SynCookies.Key.random(), clock));
        channel = new EmbeddedChannel(new IpVersionDispatcher(counters, packet), new Ipv6HostStandIn(),
                new ProtocolDispatcher(counters, packet, Map.of(), Map.of(TcpSegment.PROTOCOL, tcp)));
    }

    @AfterEach
    void tearDown() {
        assertFalse(channel.finishAndReleaseAll(), "messages left in the channel");
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a packet was not released");
        }
    }

    private Reply exchange(byte[] request) {
        ByteBuf in = Unpooled.directBuffer().writeBytes(request);
        fed.add(in);
        channel.writeInbound(in);
        ByteBuf out = channel.readOutbound();
        if (out == null) {
            return null;
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(out.readerIndex(), bytes);
        out.release();
        assertNull(channel.readOutbound(), "one answer per segment");
        return new Reply(bytes);
    }

    private Reply answer(Segment s) {
        byte[] request = s.build();
        Reply r = exchange(request);
        assertNotNull(r, "no answer");
        return r.assertWellFormed().assertAnswers(request);
    }

    @Test
    void aSynToAClosedPortGetsLinuxsResetButForTheFlowLabel() {
        Segment syn = new Segment().v6().sport(35906).dport(23).seq(0xd2d5b82e);
        syn.src6 = Packets.bytes("fd000000000000000000000000000001");
        syn.dst6 = Packets.bytes("fd000000000000000000000000000002");
        Reply rst = answer(syn);
        byte[] linux = Packets.bytes(TcpPackets.LINUX_RST_V6);
        linux[1] = 0; // Linux picks a flow label per flow; tunecho sends 0 (RFC 6437: "not labelled")
        linux[2] = 0;
        linux[3] = 0;
        Packets.put16(linux, 56, 0); // Linux left its checksum to the offload
        Packets.put16(linux, 56, TcpPackets.tcpChecksum(linux, 40));
        assertArrayEquals(linux, rst.bytes);
    }

    @Test
    void aRealNetcatSynToAnOpenPortGetsSynAckThenTheConnectionCloses() {
        byte[] syn = Packets.bytes(TcpPackets.NC_SYN_V6);
        Reply synAck = exchange(syn).assertWellFormed().assertAnswers(syn);
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(0xf88ebbdc, synAck.ack());
        assertArrayEquals(Packets.bytes("020405a0"), synAck.options(), "the client's MSS, 1440");
        assertEquals(64800, synAck.window(), "45 segments of 1440, as Linux announces");
        assertEquals(64, synAck.ttl());
        int isn = synAck.seq();

        Segment client = new Segment().v6().sport(0xb7cc).dport(22).seq(0xf88ebbdc);
        Reply fin = answer(client.flags(ACK).ack(isn + 1));
        assertEquals(FIN | ACK, fin.flags());
        assertEquals(isn + 1, fin.seq());
        assertEquals(0xf88ebbdc, fin.ack());
        assertNull(exchange(client.flags(ACK).ack(isn + 2).build()));
        assertEquals(1, counters.dropped(DropReason.TCP_ACK_OF_FIN));
        Reply last = answer(client.flags(FIN | ACK).ack(isn + 2));
        assertEquals(ACK, last.flags());
        assertEquals(0xf88ebbdd, last.ack());
    }

    @Test
    void aForgedOrExpiredCookieGetsReset() {
        int isn = answer(new Segment().v6().dport(443)).seq();
        Reply rst = answer(new Segment().v6().dport(443).flags(ACK).seq(1001).ack(isn + 1 ^ 0x100));
        assertEquals(RST, rst.flags());
        assertEquals(isn + 1 ^ 0x100, rst.seq());
        Segment other = new Segment().v6().dport(443).flags(ACK).seq(1001).ack(isn + 1);
        other.src6 = Packets.bytes("fd000198001800000000000000000003");
        assertEquals(RST, answer(other).flags(), "another client");
        assertEquals(FIN | ACK, answer(new Segment().v6().dport(443).flags(ACK).seq(1001).ack(isn + 1)).flags());
        clock.advance(2 * SynCookies.SLOT_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(RST, answer(new Segment().v6().dport(443).flags(ACK).seq(1001).ack(isn + 1)).flags());
    }

    @Test
    void theMssDefaultsTo1440AndIsNeverBelow1220() {
        assertArrayEquals(Packets.bytes("020405a0"), answer(new Segment().v6()).options());
        assertArrayEquals(Packets.bytes("020404c4"),
                answer(new Segment().v6().options(Packets.bytes("02040218"))).options());
    }

    @Test
    void extensionHeadersAreNotAnsweredAndTheHopLimitIsTheHosts() {
        hopLimit = 255;
        byte[] destinationOptions = Packets.bytes("0000010400000000"); // PadN, 8 bytes
        Segment syn = new Segment().v6().extensionHeader(60, destinationOptions).data(new byte[] {9, 9});
        Reply r = answer(syn);
        assertEquals(SYN | ACK, r.flags());
        assertEquals(40 + 24, r.bytes.length, "fixed header, TCP header and MSS option only");
        assertEquals(255, r.ttl());
        Reply rst = answer(new Segment().v6().dport(80).extensionHeader(60, destinationOptions));
        assertEquals(RST | ACK, rst.flags());
        assertEquals(60, rst.bytes.length);
    }

    @Test
    void aBadChecksumIsDropped() {
        byte[] syn = Packets.bytes(TcpPackets.NC_SYN_V6);
        syn[23] ^= 1; // the source address: the pseudo-header no longer matches
        assertNull(exchange(syn));
        assertEquals(1, counters.dropped(DropReason.BAD_TCP_CHECKSUM));
        assertEquals(1, counters.droppedTotal());
    }
}
