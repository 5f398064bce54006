package io.tunecho.policy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tunecho.hosts.Duplicates;
import io.tunecho.hosts.EchoIdFilter;
import io.tunecho.hosts.EchoIdentifier;
import io.tunecho.hosts.EchoSequence;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.LateReplies;
import io.tunecho.hosts.TtlChange;
import io.tunecho.packet.DropReason;
import io.tunecho.samples.EmbeddedResponder;
import io.tunecho.samples.Packets;
import io.tunecho.samples.TcpPackets;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.TcpSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tunecho.samples.EmbeddedResponder.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The misbehaviour settings through the whole pipeline, with a seed and a clock the test controls. */
class MisbehaviourTest {
    private static final int HOST = Packets.PEER; // 198.18.0.2
    private static final int OTHER = 0xC6120063; // 198.18.0.99
    /** fd00:198:18::1 -> fd00:198:18::7, id 0x1234, seq 1, 40 bytes of data. */
    private static final String ECHO6 = "6000000000303a40fd000198001800000000000000000001fd00019800180000000000000000"
            + "00078000b12312340001101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    private EmbeddedResponder responder;

    private void start(HostSettings settings) {
        start(settings, 10_000, 42);
    }

    private void start(HostSettings settings, int maxDelayed, long seed) {
        responder = EmbeddedResponder.builder().hosts(List.of(host(HOST, settings),
                host(IpCidr.parse("fd00:198:18::7"), settings))).maxDelayed(maxDelayed).seed(seed).build();
    }

    @AfterEach
    void tearDown() {
        if (responder != null) {
            responder.close();
        }
    }

    /** An echo request to the host with this identifier and sequence number. */
    private void send(int id, int seq) {
        byte[] p = new Packets.Builder().src(Packets.HOST).dst(HOST).seq(seq).build();
        Packets.put16(p, 24, id);
        Packets.put16(p, 22, 0);
        Packets.put16(p, 22, Packets.checksum(p, 20, p.length - 20));
        responder.send(p);
    }

    /** The IPv4 echo reply's views, after checking both checksums. */
    private static IcmpMessage echoReply(byte[] reply) {
        assertNotNull(reply, "a reply");
        Ipv4Packet ip = new Ipv4Packet().wrap(Unpooled.wrappedBuffer(reply));
        assertTrue(InternetChecksum.isValid(ip.buffer(), 0, ip.headerLength()), "the IP header's checksum");
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        assertEquals(IcmpMessage.V4.ECHO_REPLY, icmp.type());
        assertTrue(icmp.isChecksumValid(), "the ICMP checksum");
        return icmp;
    }

    private static int source(byte[] reply) {
        return new Ipv4Packet().wrap(Unpooled.wrappedBuffer(reply)).source();
    }

    private static int ttl(byte[] reply) {
        return new Ipv4Packet().wrap(Unpooled.wrappedBuffer(reply)).ttl();
    }

    @Test
    void aHostWithoutTheseSettingsNeitherRewritesNorShapes() {
        start(HostSettings.EMPTY);
        assertTrue(!responder.table().lookupIpv4(HOST).baseBehaviour().shapesReplies());
        send(0x1234, 7);
        IcmpMessage icmp = echoReply(responder.reply());
        assertEquals(0x1234, icmp.identifier());
        assertEquals(7, icmp.sequence());
    }

    @Test
    void replyFromChangesTheSourceOfEchoRepliesAndKeepsTheChecksumsRight() {
        start(HostSettings.of(HostSetting.REPLY_FROM, IpCidr.ipv4(OTHER, 32)));
        send(0x1234, 1);
        byte[] r = responder.reply();
        echoReply(r);
        assertEquals(OTHER, source(r));
        assertEquals(Packets.HOST, new Ipv4Packet().wrap(Unpooled.wrappedBuffer(r)).destination());
    }

    @Test
    void replyFromChangesTheSourceOfTcpAnswersWithTheirPseudoHeaderChecksum() {
        start(HostSettings.of(HostSetting.REPLY_FROM, IpCidr.ipv4(OTHER, 32)));
        responder.send(TcpPackets.withTcpChecksum(TcpPackets.NC_SYN));
        byte[] r = responder.reply();
        assertNotNull(r, "a reset from the closed port");
        assertEquals(OTHER, source(r));
        Ipv4Packet ip = new Ipv4Packet().wrap(Unpooled.wrappedBuffer(r));
        assertTrue(InternetChecksum.isValid(ip.buffer(), 0, ip.headerLength()));
        assertTrue(new TcpSegment().wrapPayloadOf(ip).isChecksumValid(), "the TCP checksum over the new source");
    }

    @Test
    void replyFromOverIpv6KeepsTheIcmpv6ChecksumRight() {
        IpCidr from = IpCidr.parse("fd00:198:18::99");
        start(HostSettings.of(HostSetting.REPLY_FROM, from));
        responder.send(ByteBufUtil.decodeHexDump(ECHO6));
        byte[] r = responder.reply();
        assertNotNull(r);
        Ipv6Packet ip = new Ipv6Packet().wrap(Unpooled.wrappedBuffer(r));
        assertEquals(from.high(), ip.sourceHigh());
        assertEquals(from.low(), ip.sourceLow());
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        assertEquals(IcmpMessage.V6.ECHO_REPLY, icmp.type());
        assertTrue(icmp.isChecksumValid(), "the ICMPv6 checksum over the new source");
    }

    @Test
    void aReplyFromOfTheOtherVersionLeavesTheReplyAsItIs() {
        start(HostSettings.of(HostSetting.REPLY_FROM, IpCidr.parse("fd00:198:18::99")));
        send(0x1234, 1);
        byte[] r = responder.reply();
        echoReply(r);
        assertEquals(HOST, source(r));
    }

    @Test
    void identifierRewriteFlipsTheTopBit() {
        start(HostSettings.of(HostSetting.IDENTIFIER, EchoIdentifier.REWRITE));
        send(0x1234, 1);
        assertEquals(0x9234, echoReply(responder.reply()).identifier());
        send(0x9234, 2);
        assertEquals(0x1234, echoReply(responder.reply()).identifier());
    }

    @Test
    void staleSequenceCarriesThePreviousRequestsOfTheFlow() {
        start(HostSettings.of(HostSetting.SEQUENCE, EchoSequence.STALE));
        send(0x1234, 1);
        assertEquals(1, echoReply(responder.reply()).sequence(), "the first of a flow carries its own");
        send(0x1234, 2);
        assertEquals(1, echoReply(responder.reply()).sequence());
        send(0x5678, 40);
        assertEquals(40, echoReply(responder.reply()).sequence(), "another identifier is another flow");
        send(0x1234, 3);
        IcmpMessage icmp = echoReply(responder.reply());
        assertEquals(2, icmp.sequence());
        assertEquals(0x1234, icmp.identifier(), "the identifier is kept");
    }

    @Test
    void staleSequenceAndRewrittenIdentifierTogether() {
        start(HostSettings.builder().set(HostSetting.SEQUENCE, EchoSequence.STALE)
                .set(HostSetting.IDENTIFIER, EchoIdentifier.REWRITE)
                .set(HostSetting.REPLY_FROM, IpCidr.ipv4(OTHER, 32)).build());
        send(0x0101, 5);
        echoReply(responder.reply());
        send(0x0101, 6);
        byte[] r = responder.reply();
        IcmpMessage icmp = echoReply(r);
        assertEquals(5, icmp.sequence());
        assertEquals(0x8101, icmp.identifier());
        assertEquals(OTHER, source(r));
    }

    @Test
    void aDuplicateCountSendsTheReplyThatManyTimes() {
        start(HostSettings.of(HostSetting.DUPLICATE, new Duplicates(1.0, 3)));
        send(0x1234, 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, echoReply(responder.reply()).sequence(), "copy " + i);
        }
        assertNull(responder.reply());
        assertEquals(3, responder.hostCounters(HOST).replies());
    }

    @Test
    void delayedCopiesAreHeldTogetherWithinTheQueuesBound() {
        start(HostSettings.builder().set(HostSetting.DUPLICATE, new Duplicates(1.0, 4))
                .set(HostSetting.DELAY, 10_000_000L).build(), 6, 42);
        send(0x1234, 1);
        send(0x1234, 2); // 4 + 4 > 6: dropped whole
        assertEquals(1, responder.counters().dropped(DropReason.DELAY_QUEUE_FULL));
        assertNull(responder.reply());
        responder.advance(10);
        for (int i = 0; i < 4; i++) {
            assertEquals(1, echoReply(responder.reply()).sequence());
        }
        assertNull(responder.reply());
    }

    @Test
    void aLateReplyIsHeldLongerAndOvertakenByTheOnesBehindIt() {
        start(HostSettings.of(HostSetting.LATE, new LateReplies(1.0, 3_000_000_000L)));
        send(0x1234, 1);
        assertNull(responder.reply());
        responder.advance(2999);
        assertNull(responder.reply());
        responder.advance(1);
        assertEquals(1, echoReply(responder.reply()).sequence());
    }

    @Test
    void lateRepliesComeWithTheirProbabilityAndDoNotHoldBackTheOthers() {
        start(HostSettings.of(HostSetting.LATE, new LateReplies(0.3, 3_000_000_000L)), 10_000, 7);
        int onTime = 0;
        for (int seq = 0; seq < 1000; seq++) {
            send(0x1234, seq);
            if (responder.reply() != null) {
                onTime++;
            }
        }
        assertTrue(onTime > 650 && onTime < 750, onTime + " of 1000 on time, for p = 30%");
        responder.advance(3000);
        int late = 0;
        while (responder.reply() != null) {
            late++;
        }
        assertEquals(1000 - onTime, late, "every late reply comes, sequence intact");
    }

    @Test
    void aTtlChangeCyclesThroughItsValuesFromTheEntrysOrigin() {
        start(HostSettings.of(HostSetting.TTL_CHANGE, new TtlChange(1_000_000_000L, List.of(64, 57, 50))));
        int[] expected = {64, 57, 50, 64};
        for (int i = 0; i < expected.length; i++) {
            send(0x1234, i);
            assertEquals(expected[i], ttl(responder.reply()), "at " + i + " s");
            responder.advance(999);
            send(0x1234, i);
            assertEquals(expected[i], ttl(responder.reply()), "at " + i + ".999 s");
            responder.advance(1);
        }
    }

    @Test
    void theEchoIdFilterDropsAnIdentifierSeenForTooLongAndForgetsAnIdleOne() {
        start(HostSettings.of(HostSetting.ECHO_ID_FILTER, new EchoIdFilter(3_000_000_000L, 30_000_000_000L)));
        send(0x1234, 1);
        assertNotNull(responder.reply());
        responder.advance(3000);
        send(0x1234, 2);
        assertNotNull(responder.reply(), "seen for 3 s: not longer than after");
        responder.advance(1);
        send(0x1234, 3);
        assertNull(responder.reply(), "seen for longer than 3 s");
        assertEquals(1, responder.counters().dropped(DropReason.ECHO_ID_FILTERED));
        assertEquals(1, responder.hostCounters(HOST).dropped(HostCounters.Drop.ECHO_ID_FILTERED));
        send(0x4321, 1);
        assertNotNull(responder.reply(), "a new identifier passes");
        responder.advance(29_000);
        send(0x1234, 4);
        assertNull(responder.reply(), "a dropped request counts as seen: not idle yet");
        responder.advance(30_001);
        send(0x1234, 5);
        assertNotNull(responder.reply(), "forgotten after 30 s unseen");
    }

    @Test
    void theEchoIdFilterLetsOtherProtocolsPass() {
        start(HostSettings.of(HostSetting.ECHO_ID_FILTER, new EchoIdFilter(0, 30_000_000_000L)));
        send(0x1234, 1);
        assertNotNull(responder.reply());
        responder.advance(1);
        for (int i = 0; i < 3; i++) {
            responder.send(TcpPackets.withTcpChecksum(TcpPackets.NC_SYN));
            assertNotNull(responder.reply(), "TCP is not filtered");
        }
        send(0x1234, 2);
        assertNull(responder.reply());
    }
}
