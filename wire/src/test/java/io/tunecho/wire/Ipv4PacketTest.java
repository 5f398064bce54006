package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IPv4 and ICMP views on a request that Linux's ping sent into a TUN. */
class Ipv4PacketTest {
    /** {@code ping 198.18.0.2}: 198.18.0.1 → 198.18.0.2, id 0x1950, seq 1, 56-byte payload. */
    static final String ECHO_REQUEST = "45000054cdc640004001e0bac6120001c6120002080002131950000159fc056b00000000"
            + "b1610d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    private ByteBuf buf;

    private Ipv4Packet wrap(String hex) {
        buf = Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
        return new Ipv4Packet().wrap(buf);
    }

    @AfterEach
    void release() {
        buf.release();
    }

    @Test
    void readsEveryField() {
        Ipv4Packet ip = wrap(ECHO_REQUEST);
        assertNull(ip.check());
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.tos());
        assertEquals(84, ip.totalLength());
        assertEquals(0xcdc6, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.isFragment());
        assertEquals(0, ip.fragmentOffset());
        assertEquals(64, ip.ttl());
        assertEquals(1, ip.protocol());
        assertEquals(0xe0ba, ip.checksum());
        assertEquals(0xC6120001, ip.source());
        assertEquals(0xC6120002, ip.destination());
        assertEquals(20, ip.upperLayerOffset());
        assertEquals(64, ip.upperLayerLength());
        assertEquals(1, ip.upperLayerProtocol());
    }

    @Test
    void aViewStartsWhereItIsPut() {
        buf = Unpooled.directBuffer().writeZero(7).writeBytes(ByteBufUtil.decodeHexDump(ECHO_REQUEST));
        buf.readerIndex(7);
        Ipv4Packet ip = new Ipv4Packet().wrap(buf);
        assertEquals(7, ip.offset());
        assertNull(ip.check());
        assertEquals(27, ip.upperLayerOffset());
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        assertEquals(27, icmp.offset());
        assertEquals(IcmpMessage.V4.ECHO_REQUEST, icmp.type());
    }

    @Test
    void theIcmpViewReadsTheEchoHeader() {
        Ipv4Packet ip = wrap(ECHO_REQUEST);
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        assertTrue(icmp.hasHeader());
        assertEquals(64, icmp.length());
        assertEquals(8, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x0213, icmp.checksum());
        assertEquals(0x1950, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertTrue(icmp.isChecksumValid());
        assertFalse(icmp.isError());
    }

    @Test
    void incrementalUpdatesKeepTheChecksumsRight() {
        Ipv4Packet ip = wrap(ECHO_REQUEST);
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        icmp.setTypeAndCodeAndUpdateChecksum(IcmpMessage.V4.ECHO_REPLY, 0);
        assertTrue(icmp.isChecksumValid());
        ip.swapAddresses();
        ip.setTtlAndUpdateChecksum(255);
        assertTrue(InternetChecksum.isValid(buf, 0, 20));
        assertEquals(0xC6120002, ip.source());
        assertEquals(255, ip.ttl());
        int incremental = ip.checksum();
        ip.fillChecksum();
        assertEquals(incremental, ip.checksum());
    }

    @Test
    void theIcmpViewSetsTheEchoIdentifierAndSequence() {
        Ipv4Packet ip = wrap(ECHO_REQUEST);
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        icmp.setIdentifier(0x9950);
        icmp.setSequence(0xFFFE);
        assertEquals(0x9950, icmp.identifier());
        assertEquals(0xFFFE, icmp.sequence());
        assertEquals(0x9950, buf.getUnsignedShort(20 + IcmpMessage.Field.IDENT));
        assertEquals(0xFFFE, buf.getUnsignedShort(20 + IcmpMessage.Field.SEQ));
        assertFalse(icmp.isChecksumValid(), "the checksum is left to the caller");
        int checksum = InternetChecksum.update(icmp.checksum(), 0x1950, 0x9950);
        icmp.setChecksum(InternetChecksum.update(checksum, 1, 0xFFFE));
        assertTrue(icmp.isChecksumValid());
        assertEquals(8, icmp.type(), "the rest of the header as it was");
    }

    @Test
    void checkNamesEachDefect() {
        assertEquals(Defect.TRUNCATED, wrap("4500").check());
        release();
        assertEquals(Defect.BAD_VERSION, wrap(ECHO_REQUEST.replaceFirst("^45", "55")).check());
        release();
        assertEquals(Defect.BAD_HEADER_LENGTH, wrap(ECHO_REQUEST.replaceFirst("^45", "44")).check());
        release();
        assertEquals(Defect.BAD_TOTAL_LENGTH, wrap(ECHO_REQUEST.substring(0, ECHO_REQUEST.length() - 2)).check());
        release();
        assertEquals(Defect.BAD_HEADER_CHECKSUM, wrap(ECHO_REQUEST.replaceFirst("e0ba", "e0bb")).check());
    }

    @Test
    void trimsPadding() {
        Ipv4Packet ip = wrap(ECHO_REQUEST + "000000");
        assertNull(ip.check());
        ip.trimToTotalLength();
        assertEquals(84, buf.readableBytes());
    }

    @Test
    void thePseudoHeaderSumsAddressesProtocolAndLength() {
        Ipv4Packet ip = wrap(ECHO_REQUEST);
        long expected = 0xC612 + 0x0001 + 0xC612 + 0x0002 + 17 + 64;
        assertEquals(expected, ip.pseudoHeaderSum(17, 64));
    }
}
