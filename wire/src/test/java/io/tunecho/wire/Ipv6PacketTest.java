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

/** The IPv6 view on packets the kernel sends into a TUN. */
class Ipv6PacketTest {
    /** The router solicitation the kernel sends when the link comes up: fe80::... → ff02::2, ICMPv6 type 133. */
    static final String ROUTER_SOLICITATION = "6000000000083afffe80000000000000f7a813c7f6600bb8ff02000000000"
            + "000000000000000000285006fae00000000";
    /**
     * An MLDv2 report as Linux sends it: a hop-by-hop header (router alert) before ICMPv6 (:: → ff02::16).
     */
    static final String MLD_REPORT = "600000000024000100000000000000000000000000000000ff02000000000000000000000000"
            + "00163a000502000001008f0075c60000000104000000ff0200000000000000000001ff0bf9b8";

    private ByteBuf buf;

    private Ipv6Packet wrap(String hex) {
        buf = Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
        return new Ipv6Packet().wrap(buf);
    }

    @AfterEach
    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    @Test
    void readsTheFixedHeader() {
        Ipv6Packet ip = wrap(ROUTER_SOLICITATION);
        assertNull(ip.check());
        assertEquals(6, ip.version());
        assertEquals(8, ip.payloadLength());
        assertEquals(58, ip.nextHeader());
        assertEquals(255, ip.hopLimit());
        assertEquals(0xfe80_0000_0000_0000L, ip.sourceHigh());
        assertEquals(0xff02_0000_0000_0000L, ip.destinationHigh());
        assertEquals(2L, ip.destinationLow());
        assertEquals(58, ip.upperLayerProtocol());
        assertEquals(40, ip.upperLayerOffset());
        assertEquals(8, ip.upperLayerLength());
        assertFalse(ip.isFragment());
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        assertEquals(133, icmp.type());
        assertTrue(icmp.isChecksumValid(), "the ICMPv6 checksum covers the pseudo-header");
    }

    @Test
    void walksAHopByHopHeader() {
        Ipv6Packet ip = wrap(MLD_REPORT);
        assertNull(ip.check());
        assertEquals(0, ip.nextHeader());
        assertEquals(58, ip.upperLayerProtocol());
        assertEquals(48, ip.upperLayerOffset());
        assertEquals(40, ip.upperLayerNextHeaderField());
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        assertEquals(143, icmp.type());
        assertEquals(28, icmp.length());
        assertTrue(icmp.isChecksumValid());
    }

    @Test
    void findsAFragmentHeader() {
        // fd00::1 -> fd00::2, a first fragment (offset 0, M=1, id 0x12345678) of an ICMPv6 echo request
        String hex = "600000000010" + "2c40" + "fd000000000000000000000000000001" + "fd000000000000000000000000000002"
                + "3a00000112345678" + "8000000000010001";
        Ipv6Packet ip = wrap(hex);
        assertNull(ip.check());
        assertTrue(ip.isFragment());
        assertTrue(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertEquals(0x12345678, ip.fragmentIdentification());
        assertEquals(58, ip.upperLayerProtocol());
        assertEquals(48, ip.upperLayerOffset());
    }

    @Test
    void checkNamesEachDefect() {
        assertEquals(Defect.TRUNCATED, wrap("6000").check());
        release();
        assertEquals(Defect.BAD_VERSION, wrap("5" + ROUTER_SOLICITATION.substring(1)).check());
        release();
        assertEquals(Defect.BAD_TOTAL_LENGTH, wrap(ROUTER_SOLICITATION.substring(0, ROUTER_SOLICITATION.length() - 2))
                .check());
        release();
        // a hop-by-hop header that claims more bytes than the payload holds
        assertEquals(Defect.BAD_EXTENSION_HEADER, wrap(MLD_REPORT.replaceFirst("3a000502", "3a050502")).check());
        release();
        // a hop-by-hop header after another extension header
        String late = "600000000010" + "3c40" + "fd000000000000000000000000000001" + "fd000000000000000000000000000002"
                + "0000000000000000" + "3a00000000000000";
        assertEquals(Defect.BAD_EXTENSION_HEADER, wrap(late).check());
    }

    @Test
    void swapsAddresses() {
        Ipv6Packet ip = wrap(ROUTER_SOLICITATION);
        assertNull(ip.check());
        long sh = ip.sourceHigh();
        long sl = ip.sourceLow();
        ip.swapAddresses();
        assertEquals(0xff02_0000_0000_0000L, ip.sourceHigh());
        assertEquals(sh, ip.destinationHigh());
        assertEquals(sl, ip.destinationLow());
    }
}
