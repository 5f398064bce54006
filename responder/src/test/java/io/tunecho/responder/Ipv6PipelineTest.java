package io.tunecho.responder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketCounters;
import io.tunecho.samples.EmbeddedResponder;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.Ipv6Packet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ICMPv6 echo through the pipeline, with and without extension headers, and what is never answered. */
class Ipv6PipelineTest {
    /** fd00:198:18::1 -> fd00:198:18::7, id 0x1234, seq 1, 40 bytes of data. */
    static final String ECHO = "6000000000303a40fd000198001800000000000000000001fd000198001800000000000000000007"
            + "8000b12312340001101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    /** The same behind a hop-by-hop header (PadN). */
    static final String ECHO_HBH = "6000000000380040fd000198001800000000000000000001fd0001980018000000000000000000"
            + "073a000104000000008000b12312340001101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132"
            + "3334353637";

    private final EmbeddedResponder responder = EmbeddedResponder.of();
    private final PacketCounters counters = responder.counters();

    @AfterEach
    void tearDown() {
        responder.close();
    }

    private byte[] exchange(String hex) {
        responder.send(ByteBufUtil.decodeHexDump(hex));
        return responder.reply();
    }

    private static void assertEchoReply(byte[] reply) {
        ByteBuf b = Unpooled.wrappedBuffer(reply);
        Ipv6Packet ip = new Ipv6Packet().wrap(b);
        assertNull(ip.check());
        assertEquals(58, ip.nextHeader(), "no extension headers in the reply");
        assertEquals(64, ip.hopLimit());
        assertEquals(0xfd00_0198_0018_0000L, ip.sourceHigh());
        assertEquals(7, ip.sourceLow(), "from the address pinged");
        assertEquals(1, ip.destinationLow(), "to the pinger");
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        assertEquals(129, icmp.type());
        assertTrue(icmp.isChecksumValid(), "checksum over the pseudo-header");
        assertEquals(0x1234, icmp.identifier());
        assertEquals(1, icmp.sequence());
        byte[] data = Arrays.copyOfRange(reply, 48, reply.length);
        byte[] expected = new byte[40];
        for (int i = 0; i < 40; i++) {
            expected[i] = (byte) (0x10 + i);
        }
        assertArrayEquals(expected, data);
    }

    @Test
    void answersAnEchoRequest() {
        assertEchoReply(exchange(ECHO));
        assertEquals(1, counters.repliedCount());
    }

    @Test
    void answersAnEchoRequestBehindAHopByHopHeaderWithoutIt() {
        byte[] reply = exchange(ECHO_HBH);
        assertEquals(88, reply.length);
        assertEchoReply(reply);
    }

    @Test
    void dropsABadChecksum() {
        assertNull(exchange(ECHO.substring(0, ECHO.length() - 2) + "36"));
        assertEquals(1, counters.dropped(DropReason.BAD_ICMP_CHECKSUM));
    }

    @Test
    void dropsTheInterfacesOwnAddressAndTheSubnetRouterAnycast() {
        assertNull(exchange(ECHO.replace("fd000198001800000000000000000007", "fd000198001800000000000000000001")
                .replaceFirst("fd000198001800000000000000000001", "fd000198001800000000000000000009")));
        assertNull(exchange(ECHO.replace("fd000198001800000000000000000007", "fd000198001800000000000000000000")));
        assertEquals(2, counters.dropped(DropReason.NOT_ANSWERED), counters.toString());
    }

    @Test
    void dropsAMulticastSource() {
        assertNull(exchange(ECHO.replaceFirst("fd000198001800000000000000000001", "ff020000000000000000000000000001")));
        assertEquals(1, counters.dropped(DropReason.BAD_SOURCE));
    }

    @Test
    void dropsWhatGoesToMulticastAsIpv6NothingAnswers() {
        assertNull(exchange(Packets.IPV6_ROUTER_SOLICITATION));
        assertEquals(1, counters.dropped(DropReason.IPV6));
    }
}
