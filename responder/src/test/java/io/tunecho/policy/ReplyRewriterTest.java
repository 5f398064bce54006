package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.EchoIdentifier;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.UdpDatagram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rewriter on replies the pipeline does not send today (UDP) or should never send (cut short). */
class ReplyRewriterTest {
    private static final int OTHER = 0xC6120063; // 198.18.0.99

    private final ReplyRewriter rewriter = new ReplyRewriter();
    private ByteBuf buf;

    @AfterEach
    void release() {
        buf.release();
    }

    /** An IPv4 UDP datagram from the peer to the kernel's side with 4 bytes of data and its checksums filled. */
    private Ipv4Packet udp(boolean withChecksum) {
        buf = Unpooled.directBuffer(32).writeZero(32);
        Ipv4Packet ip = new Ipv4Packet().wrap(buf);
        ip.setHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        ip.setTotalLength(32);
        ip.setTtl(64);
        ip.setProtocol(UdpDatagram.PROTOCOL);
        ip.setSource(Packets.PEER);
        ip.setDestination(Packets.HOST);
        ip.fillChecksum();
        buf.setShort(20 + UdpDatagram.Field.SRC_PORT, 53);
        buf.setShort(20 + UdpDatagram.Field.DST_PORT, 40000);
        buf.setShort(20 + UdpDatagram.Field.LENGTH, 12);
        buf.setInt(28, 0xDEADBEEF);
        if (withChecksum) {
            new UdpDatagram().wrapPayloadOf(ip).fillChecksum();
        }
        return ip;
    }

    private static Behaviour replyFrom(int address) {
        return new Behaviour(HostSettings.BUILT_IN.overriddenBy(
                HostSettings.of(HostSetting.REPLY_FROM, IpCidr.ipv4(address, 32))));
    }

    @Test
    void replyFromKeepsAUdpChecksumRightOverTheNewSource() {
        Ipv4Packet ip = udp(true);
        rewriter.rewrite(buf, replyFrom(OTHER));
        assertEquals(OTHER, ip.source());
        assertTrue(InternetChecksum.isValid(buf, 0, ip.headerLength()), "the IP header's checksum");
        UdpDatagram udp = new UdpDatagram().wrapPayloadOf(ip);
        assertNotEquals(0, udp.checksum());
        assertTrue(udp.isChecksumValidOrAbsent(), "the UDP checksum over the new source");
    }

    @Test
    void replyFromLeavesAnAbsentUdpChecksumAbsent() {
        Ipv4Packet ip = udp(false);
        rewriter.rewrite(buf, replyFrom(OTHER));
        assertEquals(OTHER, ip.source());
        assertTrue(InternetChecksum.isValid(buf, 0, ip.headerLength()));
        assertEquals(0, new UdpDatagram().wrapPayloadOf(ip).checksum());
    }

    @Test
    void aReplyCutShorterThanItsTotalLengthIsNotReadPastItsEnd() {
        buf = Packets.buf(Packets.ECHO_REQUEST);
        buf.setByte(20 + IcmpMessage.Field.TYPE, IcmpMessage.V4.ECHO_REPLY);
        buf.writerIndex(24); // the total length still says 84: the identifier is not there
        Behaviour b = new Behaviour(HostSettings.BUILT_IN.overriddenBy(HostSettings.builder()
                .set(HostSetting.REPLY_FROM, IpCidr.ipv4(OTHER, 32)).set(HostSetting.IDENTIFIER, EchoIdentifier.REWRITE)
                .build()));
        rewriter.rewrite(buf, b);
        Ipv4Packet ip = new Ipv4Packet().wrap(buf);
        assertEquals(OTHER, ip.source());
        assertTrue(InternetChecksum.isValid(buf, 0, ip.headerLength()));
        assertEquals(0x1950, buf.getUnsignedShort(20 + IcmpMessage.Field.IDENT), "past the end: untouched");
    }
}
