package io.tunecho.proto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.ManualClock;
import io.tunecho.hosts.PortSet;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.ReplyKind;
import io.tunecho.samples.EmbeddedResponder;
import io.tunecho.samples.Packets;
import io.tunecho.samples.TcpPackets;
import io.tunecho.samples.TcpPackets.Reply;
import io.tunecho.samples.TcpPackets.Segment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tunecho.samples.EmbeddedResponder.host;
import static io.tunecho.samples.Packets.get32;
import static io.tunecho.samples.TcpPackets.ACK;
import static io.tunecho.samples.TcpPackets.FIN;
import static io.tunecho.samples.TcpPackets.PSH;
import static io.tunecho.samples.TcpPackets.RST;
import static io.tunecho.samples.TcpPackets.SYN;
import static io.tunecho.samples.TcpPackets.URG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * TCP through the whole IPv4 pipeline, as the server builds it: closed ports, open ports with SYN cookies and a clean
 * close, forged and expired cookies, and what a listener ignores. Answers are checked byte by byte, some against what
 * Linux sent for the same segment.
 */
class TcpResponderTest {
    /** 198.18.0.2: the default profile, no port open. */
    private static final int CLOSED = Packets.PEER;
    /** 198.18.0.10: ports 22 and 80 open. */
    private static final int WEB = 0xC612000A;
    /** 198.18.0.11: TTL 128, port 3389 open. */
    private static final int WINDOWS = 0xC612000B;
    private static final int DOWN = 0xC612000C;
    private static final int SLOW = 0xC612000D;
    private static final int GONE = 0xC612000E;

    private EmbeddedResponder responder;
    private ManualClock clock;
    private PacketCounters counters;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        responder = EmbeddedResponder.builder().hosts(List.of(
                host(WEB, HostSettings.of(HostSetting.TCP, PortSet.of(22, 80))),
                host(WINDOWS, HostSettings.builder().set(HostSetting.TTL, 128).set(HostSetting.TCP, PortSet.of(3389))
                        .build()),
                host(DOWN, HostSettings.builder().set(HostSetting.STATE, HostState.DOWN)
                        .set(HostSetting.TCP, PortSet.of(22)).build()),
                host(SLOW, HostSettings.builder().set(HostSetting.DELAY, 10_000_000L)
                        .set(HostSetting.TCP, PortSet.of(22)).build()),
                host(GONE, HostSettings.builder().set(HostSetting.STATE, HostState.UNREACHABLE)
                        .set(HostSetting.TCP, PortSet.of(22)).build()))).seed(1).build();
        clock = responder.clock();
        counters = responder.counters();
        channel = responder.channel();
    }

    @AfterEach
    void tearDown() {
        assertFalse(responder.finish(), "messages left in the channel");
    }

    private Reply exchange(byte[] packet) {
        return exchange(Unpooled.directBuffer().writeBytes(packet));
    }

    /** Feeds one packet and returns the answer, or null when there is none. */
    private Reply exchange(ByteBuf packet) {
        responder.send(packet);
        assertNull(channel.readInbound(), "nothing may pass the pipeline's end");
        return nextReply();
    }

    private Reply nextReply() {
        ByteBuf reply = channel.readOutbound();
        if (reply == null) {
            return null;
        }
        byte[] bytes = new byte[reply.readableBytes()];
        reply.getBytes(reply.readerIndex(), bytes);
        reply.release();
        assertNull(channel.readOutbound(), "one answer per segment");
        return new Reply(bytes);
    }

    private Reply answer(Segment s) {
        byte[] request = s.build();
        Reply r = exchange(request);
        assertNotNull(r, "no answer");
        return r.assertWellFormed().assertAnswers(request);
    }

    private void assertNoAnswer(Segment s, DropReason reason) {
        long before = counters.dropped(reason);
        assertNull(exchange(s.build()), "expected no answer, dropped as " + reason);
        assertEquals(before + 1, counters.dropped(reason), counters.toString());
    }

    /** The ISN of the SYN-ACK that the web host sends to a SYN from port {@code sport}. */
    private int handshake(int dst, int sport, int clientIsn) {
        Reply synAck = answer(new Segment().dst(dst).sport(sport).seq(clientIsn).flags(SYN));
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(clientIsn + 1, synAck.ack());
        return synAck.seq();
    }

    // ---- closed ports

    @Test
    void aSynToAClosedPortGetsExactlyLinuxsReset() {
        byte[] syn = TcpPackets.withTcpChecksum(TcpPackets.LINUX_SYN_23);
        Reply rst = exchange(syn);
        assertNotNull(rst);
        assertArrayEquals(Packets.bytes(TcpPackets.LINUX_RST), rst.bytes);
        assertEquals(1, counters.repliedCount());
        assertEquals(1, counters.sent(ReplyKind.TCP), "counted as a TCP reply, not an echo reply");
        assertEquals(0, counters.droppedTotal());
    }

    @Test
    void aRealNetcatSynToAClosedPortGetsRstAck() {
        byte[] syn = Packets.bytes(TcpPackets.NC_SYN);
        Reply rst = exchange(syn).assertWellFormed().assertAnswers(syn);
        assertEquals(RST | ACK, rst.flags());
        assertEquals(0, rst.seq());
        assertEquals(0x56636503, rst.ack(), "the SYN's sequence number + 1");
        assertEquals(0, rst.window());
        assertEquals(64, rst.ttl());
        assertEquals(40, rst.bytes.length, "no options, no data");
    }

    @Test
    void aClosedPortAcknowledgesDataSynAndFin() {
        Reply r = answer(new Segment().dst(CLOSED).seq(1000).flags(SYN).data(new byte[] {1, 2, 3, 4}));
        assertEquals(1005, r.ack(), "Linux: ack 1005 for a SYN with 4 bytes at seq 1000");
        r = answer(new Segment().dst(CLOSED).seq(1000).flags(FIN));
        assertEquals(RST | ACK, r.flags());
        assertEquals(1001, r.ack());
        r = answer(new Segment().dst(CLOSED).seq(1000).flags(0)); // nmap -sN
        assertEquals(RST | ACK, r.flags());
        assertEquals(1000, r.ack());
        r = answer(new Segment().dst(CLOSED).seq(1000).flags(FIN | PSH | URG)); // nmap -sX
        assertEquals(RST | ACK, r.flags());
        assertEquals(1001, r.ack());
        r = answer(new Segment().dst(CLOSED).seq(-1).flags(SYN | FIN).data(new byte[3]));
        assertEquals(4, r.ack(), "modulo 2^32");
    }

    @Test
    void aSegmentWithAckToAClosedPortGetsResetAtThatSequence() {
        Reply r = answer(new Segment().dst(CLOSED).flags(ACK).seq(1000).ack(5000));
        assertEquals(RST, r.flags(), "no ACK bit");
        assertEquals(5000, r.seq());
        assertEquals(0, r.ack());
        r = answer(new Segment().dst(CLOSED).flags(FIN | ACK).ack(0x89ABCDEF));
        assertEquals(RST, r.flags());
        assertEquals(0x89ABCDEF, r.seq());
        r = answer(new Segment().dst(CLOSED).flags(PSH | ACK).data(new byte[] {'x', 'y', 'z'}).ack(7));
        assertEquals(RST, r.flags());
        assertEquals(7, r.seq());
    }

    @Test
    void aResetReflectsTheTosWithoutEcnAndTheReplyTtl() {
        Reply r = answer(new Segment().dst(CLOSED).tos(0x2a));
        assertEquals(0x28, r.tos(), "Linux: TOS 0x2a answered with 0x28");
        r = answer(new Segment().dst(WINDOWS).dport(23));
        assertEquals(128, r.ttl(), "the host's TTL");
    }

    @Test
    void resetsAreNeverAnswered() {
        assertNoAnswer(new Segment().dst(CLOSED).flags(RST), DropReason.TCP_RESET);
        assertNoAnswer(new Segment().dst(CLOSED).flags(RST | ACK).ack(5), DropReason.TCP_RESET);
        assertNoAnswer(new Segment().dst(WEB).flags(RST), DropReason.TCP_RESET);
        assertNoAnswer(new Segment().dst(WEB).flags(SYN | RST), DropReason.TCP_RESET);
        assertEquals(0, counters.repliedCount());
    }

    // ---- open ports: the handshake

    @Test
    void aRealNmapSynToAnOpenPortGetsSynAckLikeLinuxs() {
        byte[] syn = Packets.bytes(TcpPackets.NMAP_SYN);
        syn[19] = 10; // to 198.18.0.10, the web host: patch the address and both checksums
        Packets.put16(syn, 10, 0);
        Packets.put16(syn, 10, Packets.checksum(syn, 0, 20));
        Packets.put16(syn, 36, 0);
        Packets.put16(syn, 36, TcpPackets.tcpChecksum(syn, 20));
        Reply synAck = exchange(syn).assertWellFormed().assertAnswers(syn);
        byte[] linux = Packets.bytes(TcpPackets.LINUX_SYN_ACK);
        assertEquals(linux.length, synAck.bytes.length);
        assertArrayEquals(Arrays.copyOfRange(linux, 0, 10), Arrays.copyOfRange(synAck.bytes, 0, 10),
                "IPv4 header as Linux's: length 44, id 0, DF, TTL 64, TCP");
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(0xb716ec9e, synAck.ack(), "nmap's ISN + 1");
        assertArrayEquals(Arrays.copyOfRange(linux, 32, 36), Arrays.copyOfRange(synAck.bytes, 32, 36),
                "data offset 6, SYN|ACK, window 64240, as Linux's");
        assertArrayEquals(Arrays.copyOfRange(linux, 40, 44), synAck.options(), "only MSS 1460, as Linux's");
    }

    @Test
    void aSynWithoutOptionsGetsTheDefaultMssAndOneFromAnotherLinkItsOwn() {
        Reply r = answer(new Segment().dst(WEB));
        assertArrayEquals(Packets.bytes("020405b4"), r.options(), "MSS 1460");
        assertEquals(64240, r.window());
        r = answer(new Segment().dst(WEB).options(Packets.bytes("0204232801030307")));
        assertArrayEquals(Packets.bytes("02042328"), r.options(), "MSS 9000, a client on a jumbo-frame link");
        assertEquals(65535 / 9000 * 9000, r.window());
        r = answer(new Segment().dst(WEB).options(Packets.bytes("02040064")));
        assertArrayEquals(Packets.bytes("02040218"), r.options(), "never below 536");
    }

    @Test
    void aSynWithDataOrIpOptionsGetsAPlainSynAck() {
        Reply r = answer(new Segment().dst(WEB).seq(1000).data(new byte[] {1, 2, 3, 4}));
        assertEquals(SYN | ACK, r.flags());
        assertEquals(1001, r.ack(), "Linux ignores data on a SYN without Fast Open");
        byte[] nops = new byte[8];
        Arrays.fill(nops, (byte) 1);
        r = answer(new Segment().dst(WEB).ipOptions(nops));
        assertEquals(SYN | ACK, r.flags());
        assertEquals(44, r.bytes.length, "the IP options are not answered");
    }

    @Test
    void aSynInABufferThatCannotGrowIsAnsweredWithoutTheMssOption() {
        byte[] syn = new Segment().dst(WEB).build(); // 40 bytes: no room for the option after the header
        ByteBuf fixed = Unpooled.directBuffer(syn.length, syn.length).writeBytes(syn);
        Reply r = exchange(fixed).assertWellFormed().assertAnswers(syn);
        assertEquals(SYN | ACK, r.flags());
        assertEquals(20, r.headerLength());
        ByteBuf growable = Unpooled.directBuffer(syn.length).writeBytes(syn);
        assertEquals(24, exchange(growable).assertWellFormed().headerLength());
    }

    @Test
    void retransmittedSynsGetTheSameIsnAndOtherFlowsAnother() {
        int isn = handshake(WEB, 40000, 1000);
        assertEquals(isn, handshake(WEB, 40000, 1000), "a retransmitted SYN");
        assertEquals(isn, handshake(WEB, 40000, 77777), "the client's ISN is not part of the cookie");
        assertNotEquals(isn, handshake(WEB, 40001, 1000), "another client port");
        assertNotEquals(isn, answer(new Segment().dst(WEB).dport(80)).seq(), "another host port");
        assertNotEquals(isn, answer(new Segment().dst(WEB).src(0xC6120003)).seq(), "another client");
        assertNotEquals(isn, answer(new Segment().dst(WINDOWS).dport(3389)).seq(), "another host");
    }

    // ---- open ports: after the handshake

    @Test
    void theHandshakesAckIsAnsweredWithFinAndTheClientsFinWithTheLastAck() {
        int isn = handshake(WEB, 40000, 1000);
        Reply fin = answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 1));
        assertEquals(FIN | ACK, fin.flags());
        assertEquals(isn + 1, fin.seq());
        assertEquals(1001, fin.ack());
        assertEquals(64240, fin.window());
        // The client acknowledges our FIN: nothing to say.
        assertNoAnswer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 2), DropReason.TCP_ACK_OF_FIN);
        // Its FIN gets the last ACK.
        Reply last = answer(new Segment().dst(WEB).flags(FIN | ACK).seq(1001).ack(isn + 2));
        assertEquals(ACK, last.flags());
        assertEquals(isn + 2, last.seq());
        assertEquals(1002, last.ack());
        // A repeat of its FIN (our ACK was lost) gets it again.
        assertEquals(1002, answer(new Segment().dst(WEB).flags(FIN | ACK).seq(1001).ack(isn + 2)).ack());
        assertEquals(4, counters.repliedCount());
    }

    @Test
    void aClientThatClosesFirstGetsItsFinAcknowledgedWithOurs() {
        // nc -z: ACK, then FIN|ACK at once, before our FIN arrives.
        int isn = handshake(WEB, 40000, 1000);
        answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 1));
        Reply fin = answer(new Segment().dst(WEB).flags(FIN | ACK).seq(1001).ack(isn + 1));
        assertEquals(FIN | ACK, fin.flags());
        assertEquals(isn + 1, fin.seq());
        assertEquals(1002, fin.ack(), "its FIN acknowledged");
    }

    @Test
    void dataIsAcknowledgedWithFinUntilOurFinIsAcknowledgedThenReset() {
        int isn = handshake(WEB, 40000, 1000);
        Reply fin = answer(new Segment().dst(WEB).flags(PSH | ACK).seq(1001).ack(isn + 1).data("QUIT\r\n".getBytes()));
        assertEquals(FIN | ACK, fin.flags());
        assertEquals(1007, fin.ack(), "the data read, then the connection closed");
        Reply rst = answer(new Segment().dst(WEB).flags(PSH | ACK).seq(1007).ack(isn + 2).data(new byte[] {'x'}));
        assertEquals(RST, rst.flags(), "data for a closed socket: Linux resets");
        assertEquals(isn + 2, rst.seq());
        rst = answer(new Segment().dst(WEB).flags(FIN | PSH | ACK).seq(1007).ack(isn + 2).data(new byte[] {'x'}));
        assertEquals(RST, rst.flags());
    }

    @Test
    void aForgedCookieIsAnsweredWithReset() {
        int isn = handshake(WEB, 40000, 1000);
        for (int wrong : new int[] {isn, isn + 3, isn ^ 0x10, isn ^ 0x8000000, isn ^ 0x40000000, 12345}) {
            Reply r = answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(wrong));
            assertEquals(RST, r.flags(), "ack " + Integer.toHexString(wrong));
            assertEquals(wrong, r.seq());
        }
        // The right cookie for another flow is a wrong one for this.
        Reply r = answer(new Segment().dst(WEB).sport(40001).flags(ACK).seq(1001).ack(isn + 1));
        assertEquals(RST, r.flags());
        r = answer(new Segment().dst(WEB).dport(80).flags(ACK).seq(1001).ack(isn + 1));
        assertEquals(RST, r.flags());
        r = answer(new Segment().dst(WEB).src(0xC6120003).flags(ACK).seq(1001).ack(isn + 1));
        assertEquals(RST, r.flags());
        // A SYN|ACK to a listener: reset, whatever it acknowledges.
        r = answer(new Segment().dst(WEB).flags(SYN | ACK).seq(1001).ack(isn + 1));
        assertEquals(RST, r.flags());
        assertEquals(isn + 1, r.seq());
    }

    @Test
    void aCookieExpiresAfterItsSlotAndTheNext() {
        int isn = handshake(WEB, 40000, 1000);
        clock.advance(SynCookies.SLOT_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(FIN | ACK, answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 1)).flags(),
                "one slot later: still valid");
        clock.advance(SynCookies.SLOT_NANOS, TimeUnit.NANOSECONDS);
        Reply r = answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 1));
        assertEquals(RST, r.flags(), "two slots later: expired");
        r = answer(new Segment().dst(WEB).flags(FIN | ACK).seq(1001).ack(isn + 2));
        assertEquals(RST, r.flags(), "expired after our FIN too");
        // 32 slots after the SYN the 5-bit slot number is the same again; the hash tells the slots apart.
        clock.advance(30 * SynCookies.SLOT_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(RST, answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 1)).flags());
        int fresh = handshake(WEB, 40000, 1000);
        assertNotEquals(isn, fresh);
        assertEquals(isn >>> 27, fresh >>> 27, "the same slot number, modulo 32");
        assertEquals(FIN | ACK, answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(fresh + 1)).flags());
    }

    @Test
    void aCookieMadeLateInItsSlotIsValidForTheNextSlot() {
        long intoSlot = clock.nanoTime() & (SynCookies.SLOT_NANOS - 1);
        clock.advance(SynCookies.SLOT_NANOS - 1 - intoSlot, TimeUnit.NANOSECONDS); // the slot's last nanosecond
        int isn = handshake(WEB, 40000, 1000);
        clock.advance(SynCookies.SLOT_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(FIN | ACK, answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 1)).flags());
        clock.advance(1, TimeUnit.NANOSECONDS);
        assertEquals(RST, answer(new Segment().dst(WEB).flags(ACK).seq(1001).ack(isn + 1)).flags());
    }

    @Test
    void aListenerIgnoresSegmentsWithoutSynOrAckAndSynWithFin() {
        assertNoAnswer(new Segment().dst(WEB).flags(FIN), DropReason.TCP_LISTEN_DROP);      // nmap -sF
        assertNoAnswer(new Segment().dst(WEB).flags(0), DropReason.TCP_LISTEN_DROP);        // nmap -sN
        assertNoAnswer(new Segment().dst(WEB).flags(FIN | PSH | URG), DropReason.TCP_LISTEN_DROP); // nmap -sX
        assertNoAnswer(new Segment().dst(WEB).flags(SYN | FIN), DropReason.TCP_LISTEN_DROP);
        assertEquals(0, counters.repliedCount());
    }

    @Test
    void portsAreOpenPerHost() {
        assertEquals(SYN | ACK, answer(new Segment().dst(WEB).dport(80)).flags());
        assertEquals(RST | ACK, answer(new Segment().dst(WEB).dport(443)).flags());
        assertEquals(RST | ACK, answer(new Segment().dst(CLOSED).dport(22)).flags());
        Reply r = answer(new Segment().dst(WINDOWS).dport(3389));
        assertEquals(SYN | ACK, r.flags());
        assertEquals(128, r.ttl());
        assertEquals(0, r.tos(), "a SYN-ACK's TOS is the listener's, 0");
    }

    @Test
    void aDownHostIsSilentAndADelayedOneAnswersLate() {
        assertNoAnswer(new Segment().dst(DOWN), DropReason.HOST_DOWN);
        byte[] syn = new Segment().dst(SLOW).build();
        assertNull(exchange(syn));
        responder.advance(10);
        Reply r = nextReply();
        assertNotNull(r, "the SYN-ACK after the host's delay");
        r.assertWellFormed().assertAnswers(syn);
        assertEquals(SYN | ACK, r.flags());
    }

    @Test
    void anUnreachableHostsGatewayReportsTheSyn() {
        byte[] syn = new Segment().dst(GONE).build();
        responder.send(syn);
        ByteBuf error = channel.readOutbound();
        assertNotNull(error);
        try {
            assertEquals(1, error.getUnsignedByte(9), "ICMP");
            assertEquals(0xC61200FE, error.getInt(12), "from the gateway");
            assertEquals(3, error.getUnsignedByte(20), "destination unreachable");
            assertEquals(1, error.getUnsignedByte(21), "host unreachable: connect() says No route to host");
            assertEquals(get32(syn, 20), error.getInt(28 + 20), "quoting the SYN's ports");
        } finally {
            error.release();
        }
    }

    @Test
    void malformedSegmentsAreDroppedAndCounted() {
        byte[] bad = new Segment().dst(WEB).build();
        bad[bad.length - 1] ^= 1;
        assertNull(exchange(bad));
        assertEquals(1, counters.dropped(DropReason.BAD_TCP_CHECKSUM));

        byte[] shortSegment = Arrays.copyOf(new Segment().dst(WEB).build(), 39); // 19 bytes of TCP
        Packets.put16(shortSegment, 2, 39);
        Packets.put16(shortSegment, 10, 0);
        Packets.put16(shortSegment, 10, Packets.checksum(shortSegment, 0, 20));
        assertNull(exchange(shortSegment));
        assertEquals(1, counters.dropped(DropReason.TCP_TRUNCATED));

        byte[] badOffset = new Segment().dst(WEB).build();
        badOffset[32] = 0x40; // data offset 4
        assertNull(exchange(badOffset));
        badOffset = new Segment().dst(WEB).build();
        badOffset[32] = (byte) 0xF0; // 60 bytes of header in a 20-byte segment
        assertNull(exchange(badOffset));
        assertEquals(3, counters.dropped(DropReason.TCP_TRUNCATED));
        assertEquals(0, counters.repliedCount());
    }
}
