package io.tunecho.responder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostConfig;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.ReplyKind;
import io.tunecho.samples.EmbeddedResponder;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static io.tunecho.samples.Packets.HOST;
import static io.tunecho.samples.Packets.PEER;
import static io.tunecho.samples.Packets.checksum;
import static io.tunecho.samples.Packets.get16;
import static io.tunecho.samples.Packets.get32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The answering pipeline as the server builds it, on real and on deliberately broken packets. */
class PipelineTest {
    private EmbeddedResponder responder;
    private PacketCounters counters;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        // An MTU that takes every packet whole, so that each request has one reply (ReassemblyTest and
        // FragmenterTest cover fragments).
        // A clock that stands still: the rate limits' buckets refill only when a test says so, not as a loaded
        // machine's time passes between two packets.
        responder = EmbeddedResponder.builder().config(HostConfig.answering(IpCidr.parse("198.18.0.1/24"),
                List.of(IpCidr.parse("198.18.0.0/24"), IpCidr.parse("203.0.113.0/24")))).mtu(65_535).build();
        counters = responder.counters();
        channel = responder.channel();
    }

    @AfterEach
    void tearDown() {
        assertFalse(responder.finish(), "unread messages left in the channel");
    }

    /** Feeds one packet and returns the reply's bytes, or null when nothing was written. */
    private byte[] exchange(ByteBuf packet) {
        responder.send(packet);
        assertNull(channel.readInbound(), "nothing may pass the pipeline's end");
        byte[] reply = responder.reply();
        assertNull(channel.readOutbound(), "one reply per request");
        return reply;
    }

    private byte[] exchange(byte[] packet) {
        return exchange(Unpooled.directBuffer().writeBytes(packet));
    }

    private void assertDropped(DropReason reason, byte[] packet) {
        assertDropped(reason, Unpooled.directBuffer().writeBytes(packet));
    }

    private void assertDropped(DropReason reason, ByteBuf packet) {
        assertNull(exchange(packet), "expected a drop for " + reason);
        assertEquals(1, counters.dropped(reason), counters.toString());
        assertEquals(1, counters.droppedTotal(), counters.toString());
        assertEquals(0, counters.repliedCount());
    }

    /** Checks every byte of a reply against its request (the request has no IP options). */
    private static void assertEchoReply(byte[] request, byte[] reply) {
        int ihl = (request[0] & 0xF) * 4;
        int icmpLength = request.length - ihl;
        assertEquals(20 + icmpLength, reply.length);
        assertEquals(0x45, reply[0] & 0xFF);
        assertEquals(request[1], reply[1], "TOS");
        assertEquals(reply.length, get16(reply, 2), "total length");
        assertEquals(get16(request, 4), get16(reply, 4), "identification");
        assertEquals(get16(request, 6), get16(reply, 6), "flags");
        assertEquals(64, reply[8] & 0xFF, "TTL");
        assertEquals(1, reply[9], "protocol");
        assertEquals(get32(request, 16), get32(reply, 12), "source = the address pinged");
        assertEquals(get32(request, 12), get32(reply, 16), "destination = the pinger");
        assertEquals(0, checksum(reply, 0, 20), "IPv4 header checksum");
        assertEquals(0, reply[20], "type echo reply");
        assertEquals(0, reply[21], "code");
        assertEquals(0, checksum(reply, 20, icmpLength), "ICMP checksum");
        assertArrayEquals(Arrays.copyOfRange(request, ihl + 4, request.length),
                Arrays.copyOfRange(reply, 24, reply.length), "identifier, sequence and payload");
    }

    @Test
    void answersARealPingRequest() {
        byte[] request = Packets.bytes(Packets.ECHO_REQUEST);
        assertEchoReply(request, exchange(request));
        assertEquals(1, counters.repliedCount());
        assertEquals(0, counters.droppedTotal());
    }

    @Test
    void answersARealRequestWithAnOddPayload() {
        byte[] request = Packets.bytes(Packets.ECHO_REQUEST_ODD);
        assertEchoReply(request, exchange(request));
    }

    @Test
    void answersARealRecordRouteRequestWithTheRouteRecorded() {
        // ping -R: the prober's kernel recorded 198.18.0.1; the host records itself on arrival and on departure,
        // as Linux does, so ping prints RR: 198.18.0.1 198.18.0.2 198.18.0.2 198.18.0.1
        byte[] request = Packets.bytes(Packets.ECHO_REQUEST_RECORD_ROUTE);
        byte[] reply = exchange(request);
        assertEquals(request.length, reply.length, "the options come back (a NOP less, padded with END)");
        assertEquals(0x4F, reply[0] & 0xFF);
        assertEquals(0, checksum(reply, 0, 60));
        assertEquals(7, reply[20], "Record Route first");
        assertEquals(39, reply[21]);
        assertEquals(16, reply[22], "two more addresses recorded");
        assertEquals(0xC6120001, get32(reply, 23));
        assertEquals(PEER, get32(reply, 27));
        assertEquals(PEER, get32(reply, 31));
        assertEquals(0, get32(reply, 35));
        assertEquals(0, reply[59], "padded with End of Option List");
        assertEquals(0, reply[60], "echo reply");
        assertEquals(0, checksum(reply, 60, reply.length - 60));
        assertArrayEquals(Arrays.copyOfRange(request, 64, request.length), Arrays.copyOfRange(reply, 64, reply.length));
    }

    @Test
    void fillsTimestampsAndCountsWhatDidNotFit() {
        byte[] ts = new byte[12]; // tsonly with room for two: the host fills both, nothing overflows
        ts[0] = 68;
        ts[1] = 12;
        ts[2] = 5;
        byte[] reply = exchange(new Packets.Builder().options(ts).build());
        assertEquals(68, reply[20]);
        assertEquals(13, reply[22], "two timestamps taken");
        assertEquals(0, reply[23] & 0xF0, "no overflow");
        assertEquals(0, checksum(reply, 0, 32));
        byte[] small = new byte[8]; // room for one: the second is an overflow
        small[0] = 68;
        small[1] = 8;
        small[2] = 5;
        reply = exchange(new Packets.Builder().options(small).build());
        assertEquals(9, reply[22]);
        assertEquals(0x10, reply[23] & 0xF0, "one node could not record");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 7, 8, 55, 56, 57, 1000, 1472, 65507})
    void keepsPayloadsOfEveryLength(int length) {
        byte[] payload = new byte[length];
        new java.util.Random(length).nextBytes(payload);
        byte[] request = new Packets.Builder().payload(payload).build();
        assertEchoReply(request, exchange(request));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 12, 40})
    void dropsOptionsThatAreNotEchoed(int optionBytes) {
        byte[] options = new byte[optionBytes]; // NOPs then EOL
        Arrays.fill(options, (byte) 1);
        options[optionBytes - 1] = 0;
        byte[] request = new Packets.Builder().options(options).payload(Packets.pattern(33)).build();
        assertEchoReply(request, exchange(request));
    }

    @Test
    void answersEveryAddressOfTheSubnetButTheEnds() {
        for (int host = 2; host <= 254; host++) {
            byte[] request = new Packets.Builder().dst(0xC6120000 | host).build();
            byte[] reply = exchange(request);
            assertEquals(0xC6120000 | host, get32(reply, 12));
        }
        assertEquals(253, counters.repliedCount());
    }

    @Test
    void trimsLinkPaddingAfterTheTotalLength() {
        byte[] request = new Packets.Builder().build();
        ByteBuf padded = Unpooled.directBuffer().writeBytes(request).writeZero(6);
        assertEchoReply(request, exchange(padded));
    }

    @Test
    void answersAPacketThatStartsInsideItsBuffer() {
        byte[] request = new Packets.Builder().build();
        ByteBuf buf = Unpooled.directBuffer().writeZero(10).writeBytes(request);
        buf.readerIndex(10);
        assertEchoReply(request, exchange(buf));
    }

    @Test
    void dropsIpv6() {
        assertDropped(DropReason.IPV6, Packets.bytes(Packets.IPV6_ROUTER_SOLICITATION));
    }

    @Test
    void dropsOtherVersions() {
        byte[] p = new Packets.Builder().build();
        p[0] = 0x55;
        assertDropped(DropReason.BAD_VERSION, p);
    }

    @Test
    void dropsAnEmptyPacket() {
        assertDropped(DropReason.TRUNCATED, new byte[0]);
    }

    @Test
    void dropsAPacketShorterThanAHeader() {
        assertDropped(DropReason.TRUNCATED, Arrays.copyOf(new Packets.Builder().build(), 19));
    }

    @Test
    void dropsAHeaderLengthBelowFive() {
        byte[] p = new Packets.Builder().build();
        p[0] = 0x44;
        assertDropped(DropReason.BAD_HEADER_LENGTH, p);
    }

    @Test
    void dropsAHeaderLongerThanThePacket() {
        byte[] p = Arrays.copyOf(new Packets.Builder().build(), 40);
        p[0] = 0x4F; // 60 bytes of header in a 40-byte packet
        assertDropped(DropReason.BAD_HEADER_LENGTH, p);
    }

    @Test
    void dropsATotalLengthBeyondWhatWasRead() {
        byte[] p = new Packets.Builder().build();
        assertDropped(DropReason.BAD_TOTAL_LENGTH, Arrays.copyOf(p, p.length - 1)); // the payload was cut
    }

    @Test
    void dropsATotalLengthShorterThanTheHeader() {
        byte[] p = new Packets.Builder().build();
        Packets.put16(p, 2, 19);
        Packets.put16(p, 10, 0);
        Packets.put16(p, 10, checksum(p, 0, 20));
        assertDropped(DropReason.BAD_TOTAL_LENGTH, p);
    }

    @Test
    void dropsABadHeaderChecksum() {
        byte[] p = new Packets.Builder().build();
        p[11] ^= 1;
        assertDropped(DropReason.BAD_HEADER_CHECKSUM, p);
    }

    @Test
    void dropsAMalformedUdpDatagram() {
        // the builder writes an ICMP header where UDP's is: length 0x0008 is fine, the checksum is not
        byte[] p = new Packets.Builder().protocol(17).build();
        assertDropped(DropReason.UDP_MALFORMED, p);
    }

    @Test
    void answersUdpWithPortUnreachableQuotingTheDatagram() {
        byte[] udp = udpDatagram(PEER, 33434, 12);
        byte[] error = exchange(udp);
        assertEquals(20 + 8 + udp.length, error.length);
        assertEquals(PEER, get32(error, 12), "from the address the datagram was for");
        assertEquals(HOST, get32(error, 16));
        assertEquals(1, error[9], "ICMP");
        assertEquals(3, error[20], "destination unreachable");
        assertEquals(3, error[21], "port unreachable");
        assertEquals(0, checksum(error, 0, 20));
        assertEquals(0, checksum(error, 20, error.length - 20));
        assertArrayEquals(udp, Arrays.copyOfRange(error, 28, error.length));
        assertEquals(1, counters.icmpErrorCount());
    }

    @Test
    void limitsPortUnreachablesPerPairOfAddresses() {
        int answered = 0;
        for (int i = 0; i < 30; i++) {
            answered += exchange(udpDatagram(PEER, 33434 + i, 4)) != null ? 1 : 0;
        }
        assertEquals(20, answered, "a burst of 20 per pair of addresses, then 10 a second");
        assertEquals(10, counters.dropped(DropReason.ICMP_ERROR_RATE_LIMITED));
    }

    /** A UDP datagram from HOST:40000 with a correct checksum. */
    private static byte[] udpDatagram(int dst, int port, int payload) {
        byte[] p = new byte[20 + 8 + payload];
        p[0] = 0x45;
        Packets.put16(p, 2, p.length);
        p[8] = 64;
        p[9] = 17;
        Packets.put32(p, 12, HOST);
        Packets.put32(p, 16, dst);
        Packets.put16(p, 10, checksum(p, 0, 20));
        Packets.put16(p, 20, 40000);
        Packets.put16(p, 22, port);
        Packets.put16(p, 24, 8 + payload);
        byte[] pseudo = new byte[12 + 8 + payload];
        Packets.put32(pseudo, 0, HOST);
        Packets.put32(pseudo, 4, dst);
        pseudo[9] = 17;
        Packets.put16(pseudo, 10, 8 + payload);
        System.arraycopy(p, 20, pseudo, 12, 8 + payload);
        Packets.put16(p, 26, checksum(pseudo, 0, pseudo.length));
        return p;
    }

    @Test
    void dropsAnUnknownProtocol() {
        assertDropped(DropReason.UNHANDLED_PROTOCOL, new Packets.Builder().protocol(132).build());
    }

    @Test
    void dropsIcmpShorterThanItsHeader() {
        byte[] full = new Packets.Builder().payload(new byte[0]).build();
        byte[] p = Arrays.copyOf(full, 27);
        Packets.put16(p, 2, 27);
        Packets.put16(p, 10, 0);
        Packets.put16(p, 10, checksum(p, 0, 20));
        assertDropped(DropReason.ICMP_TRUNCATED, p);
    }

    @Test
    void dropsABadIcmpChecksum() {
        byte[] p = new Packets.Builder().build();
        p[p.length - 1] ^= 0x40; // a payload bit flipped in transit
        assertDropped(DropReason.BAD_ICMP_CHECKSUM, p);
    }

    @Test
    void dropsAnEchoReply() {
        assertDropped(DropReason.NOT_ECHO_REQUEST, new Packets.Builder().icmpType(0).build());
    }

    @Test
    void dropsDestinationUnreachable() {
        assertDropped(DropReason.NOT_ECHO_REQUEST, new Packets.Builder().icmpType(3).icmpCode(1).build());
    }

    @Test
    void dropsATimestampRequest() {
        assertDropped(DropReason.NOT_ECHO_REQUEST, new Packets.Builder().icmpType(13).build());
    }

    @Test
    void dropsAnEchoRequestWithANonZeroCode() {
        assertDropped(DropReason.NOT_ECHO_REQUEST, new Packets.Builder().icmpCode(1).build());
    }

    @Test
    void dropsTheSubnetBroadcast() {
        assertDropped(DropReason.BROADCAST_OR_MULTICAST, new Packets.Builder().dst(0xC61200FF).build());
    }

    @Test
    void dropsTheLimitedBroadcast() {
        assertDropped(DropReason.BROADCAST_OR_MULTICAST, new Packets.Builder().dst(0xFFFFFFFF).build());
    }

    @Test
    void dropsMulticast() {
        assertDropped(DropReason.BROADCAST_OR_MULTICAST, new Packets.Builder().dst(0xE0000001).build());
    }

    @Test
    void dropsAnUnspecifiedSource() {
        assertDropped(DropReason.BAD_SOURCE, new Packets.Builder().src(0).build());
    }

    @Test
    void dropsAMulticastSource() {
        assertDropped(DropReason.BAD_SOURCE, new Packets.Builder().src(0xE00000FB).build());
    }

    @Test
    void dropsALoopbackSource() {
        assertDropped(DropReason.BAD_SOURCE, new Packets.Builder().src(0x7F000001).build());
    }

    @Test
    void dropsTheSubnetBroadcastAsSource() {
        // A reply would go to the broadcast address: Linux drops such requests as martians, and so does tunecho.
        assertDropped(DropReason.BAD_SOURCE, new Packets.Builder().src(0xC61200FF).build());
    }

    @Test
    void dropsTheBroadcastOfAnAnsweredPrefixAsSource() {
        assertDropped(DropReason.BAD_SOURCE, new Packets.Builder().src(0xCB0071FF).build());
    }

    @Test
    void dropsTheLimitedBroadcastAsSource() {
        assertDropped(DropReason.BAD_SOURCE, new Packets.Builder().src(0xFFFFFFFF).build());
    }

    @Test
    void dropsARequestFromTheAddressItIsFor() {
        assertDropped(DropReason.BAD_SOURCE, new Packets.Builder().src(PEER).dst(PEER).build());
    }

    @Test
    void answersAClassESourceAsLinuxDoes() {
        byte[] request = new Packets.Builder().src(0xF0000001).build();
        assertEchoReply(request, exchange(request));
    }

    @Test
    void answersAnotherAnsweredAddressAsSource() {
        byte[] request = new Packets.Builder().src(0xC6120009).build();
        assertEchoReply(request, exchange(request));
    }

    @Test
    void dropsALoopbackDestination() {
        assertDropped(DropReason.BAD_DESTINATION, new Packets.Builder().dst(0x7F000001).build());
    }

    @Test
    void dropsAZeroNetDestination() {
        assertDropped(DropReason.BAD_DESTINATION, new Packets.Builder().dst(0x00000005).build());
    }

    @Test
    void dropsMalformedOptions() {
        assertDropped(DropReason.BAD_OPTIONS, new Packets.Builder().options(new byte[] {7, 0, 4, 0}).build());
    }

    @Test
    void dropsARecordRouteWhosePointerIsBelowFour() {
        byte[] rr = new byte[12];
        rr[0] = 7;
        rr[1] = 11;
        rr[2] = 3;
        assertDropped(DropReason.BAD_OPTIONS, new Packets.Builder().options(rr).build());
    }

    @Test
    void dropsALooseSourceRoute() {
        byte[] lsrr = {(byte) 131, 7, 4, (byte) 198, 18, 0, 9, 0};
        assertDropped(DropReason.SOURCE_ROUTE, new Packets.Builder().options(lsrr).build());
    }

    @Test
    void answersUnknownOptionsAsLinuxDoes() {
        byte[] unknown = {(byte) 0x9e, 4, 0, 0}; // an experimental option with a valid length
        byte[] request = new Packets.Builder().options(unknown).build();
        assertEchoReply(request, exchange(request));
    }

    @Test
    void answersAnAddressOfARoutedPrefix() {
        byte[] request = new Packets.Builder().dst(0xCB007107).build();
        assertEchoReply(request, exchange(request));
    }

    @Test
    void countersListOnlyWhatHappened() {
        PacketCounters c = new PacketCounters();
        assertEquals("replied=0 dropped=0", c.toString());
        c.count(ReplyKind.ECHO);
        c.drop(DropReason.IPV6);
        c.drop(DropReason.IPV6);
        c.drop(DropReason.FRAGMENT);
        assertEquals("replied=1 dropped=3 (ipv6=2 fragment=1)", c.toString());
        c.count(ReplyKind.TCP);
        c.count(ReplyKind.ICMP_ERROR);
        assertEquals("replied=2 tcp=1 icmp_errors=1 dropped=3 (ipv6=2 fragment=1)", c.toString());
        assertEquals(1, c.sent(ReplyKind.ECHO));
    }

    @Test
    void theStagesHaveTheirNames() {
        assertEquals(List.of(ResponderPipeline.REPLIES, ResponderPipeline.PACKETS, ResponderPipeline.ERRORS),
                channel.pipeline().names().subList(0, 3));
        assertNotNull(ResponderPipeline.reassembler(channel.pipeline()));
        assertNotNull(ResponderPipeline.replyShaper(channel.pipeline()));
        assertNotNull(ResponderPipeline.fragmenter(channel.pipeline()));
    }

    @Test
    void dropsTheInterfacesOwnAddress() {
        assertDropped(DropReason.NOT_ANSWERED, new Packets.Builder().src(PEER).dst(HOST).build());
    }

    @Test
    void dropsTheSubnetsNetworkAddress() {
        assertDropped(DropReason.NOT_ANSWERED, new Packets.Builder().dst(0xC6120000).build());
    }

    @Test
    void dropsAnAddressOutsideTheAnswerSet() {
        assertDropped(DropReason.NOT_ANSWERED, new Packets.Builder().dst(0xCB007207).build());
    }

    @Test
    void dropsAMessageThatIsNotAPacket() {
        channel.writeInbound("not a packet");
        assertNull(channel.readOutbound());
        assertEquals(1, counters.dropped(DropReason.NOT_A_PACKET));
    }

    @Test
    void answersABurstAndFlushesOnce() {
        for (int i = 0; i < 10; i++) {
            ByteBuf b = new Packets.Builder().dst(0xC6120000 | (i + 2)).buf();
            channel.pipeline().fireChannelRead(responder.track(b));
        }
        assertNull(channel.readOutbound(), "nothing flushed before the read burst ends");
        channel.pipeline().fireChannelReadComplete();
        for (int i = 0; i < 10; i++) {
            ByteBuf reply = channel.readOutbound();
            assertEquals(0xC6120000 | (i + 2), reply.getInt(reply.readerIndex() + 12));
            reply.release();
        }
        assertEquals(10, counters.repliedCount());
    }
}
