package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ICMP errors about real packets: their headers, checksums and quoted content. */
class IcmpErrorsTest {

    @Test
    void anIpv6TimeExceededQuotesWithin1280Bytes() {
        List<ByteBuf> fragments = Captures.load(Captures.PING6_S8000);
        ByteBuf error = null;
        try {
            Ipv6Packet first = new Ipv6Packet().wrap(fragments.get(0));
            assertNull(first.check());
            error = IcmpErrors.ipv6(ByteBufAllocator.DEFAULT, first, first.destinationHigh(), first.destinationLow(),
                    IcmpMessage.V6.TIME_EXCEEDED, IcmpErrors.CODE_REASSEMBLY_TIME_EXCEEDED, 0, 64);
            assertEquals(1280, error.readableBytes());
            Ipv6Packet ip = new Ipv6Packet().wrap(error);
            assertNull(ip.check());
            assertEquals(1240, ip.payloadLength());
            assertEquals(58, ip.nextHeader());
            assertEquals(64, ip.hopLimit());
            assertEquals(0x60000000, ip.versionClassFlow());
            assertEquals(first.destinationHigh(), ip.sourceHigh());
            assertEquals(first.destinationLow(), ip.sourceLow());
            assertEquals(first.sourceHigh(), ip.destinationHigh());
            assertEquals(first.sourceLow(), ip.destinationLow());
            IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
            assertEquals(3, icmp.type());
            assertEquals(1, icmp.code());
            assertTrue(icmp.isChecksumValid());
            assertEquals(0, error.getInt(44));
            assertEquals(ByteBufUtil.hexDump(fragments.get(0), 0, 1232), ByteBufUtil.hexDump(error, 48, 1232));
        } finally {
            fragments.forEach(ByteBuf::release);
            if (error != null) {
                error.release();
            }
        }
    }

    @Test
    void anIpv6ParameterProblemQuotesAShortPacketWhole() {
        List<ByteBuf> fragments = Captures.load(Captures.PING6_S8000);
        ByteBuf error = null;
        try {
            ByteBuf last = fragments.get(5); // 816 bytes: fits whole
            Ipv6Packet ip6 = new Ipv6Packet().wrap(last);
            assertNull(ip6.check());
            error = IcmpErrors.ipv6(ByteBufAllocator.DEFAULT, ip6, ip6.destinationHigh(), ip6.destinationLow(),
                    IcmpMessage.V6.PARAMETER_PROBLEM, IcmpErrors.CODE_V6_ERRONEOUS_HEADER_FIELD, 42, 255);
            assertEquals(48 + 816, error.readableBytes());
            assertEquals(42, error.getInt(44), "the pointer");
            assertEquals(ByteBufUtil.hexDump(last), ByteBufUtil.hexDump(error, 48, 816));
            assertTrue(checkedChecksum(error));
        } finally {
            fragments.forEach(ByteBuf::release);
            if (error != null) {
                error.release();
            }
        }
    }

    private static boolean checkedChecksum(ByteBuf error) {
        Ipv6Packet ip = new Ipv6Packet().wrap(error);
        return ip.check() == null && new IcmpMessage().wrapPayloadOf(ip).isChecksumValid();
    }

    @Test
    void anIpv4TimeExceededQuotesWithin576Bytes() {
        List<ByteBuf> fragments = Captures.load(Captures.PING_S8000);
        ByteBuf error = null;
        try {
            Ipv4Packet first = new Ipv4Packet().wrap(fragments.get(0));
            assertNull(first.check());
            error = IcmpErrors.ipv4(ByteBufAllocator.DEFAULT, first, first.destination(), IcmpMessage.V4.TIME_EXCEEDED,
                    IcmpErrors.CODE_REASSEMBLY_TIME_EXCEEDED, 0, 64, 0x1234);
            Ipv4Packet ip = new Ipv4Packet().wrap(error);
            assertNull(ip.check());
            assertEquals(576, ip.totalLength());
            assertEquals(first.destination(), ip.source());
            assertEquals(first.source(), ip.destination());
            IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
            assertEquals(11, icmp.type());
            assertEquals(1, icmp.code());
            assertTrue(icmp.isChecksumValid());
            assertEquals(ByteBufUtil.hexDump(fragments.get(0), 0, 548), ByteBufUtil.hexDump(error, 28, 548));
        } finally {
            fragments.forEach(ByteBuf::release);
            if (error != null) {
                error.release();
            }
        }
    }
}
