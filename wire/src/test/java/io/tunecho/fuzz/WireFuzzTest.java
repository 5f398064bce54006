package io.tunecho.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunecho.wire.Defect;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Options;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wire views on arbitrary bytes: validation never throws, and what it accepts can be read in full without
 * reading past the packet.
 */
class WireFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void ipv4(byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        Ipv4Packet ip = new Ipv4Packet().wrap(buf);
        Defect d = data.length == 0 ? Defect.TRUNCATED : ip.check();
        if (d == null) {
            assertTrue(ip.headerLength() >= 20 && ip.totalLength() <= data.length);
            assertTrue(ip.upperLayerOffset() + ip.upperLayerLength() <= data.length);
            if (ip.headerLength() > 20) {
                assertTrue(Ipv4Options.problem(buf, 0) < 0);
                Ipv4Options.find(buf, 0, Ipv4Options.RECORD_ROUTE);
                Ipv4Options.find(buf, 0, Ipv4Options.TIMESTAMP);
                Ipv4Options.hasSourceRoute(buf, 0);
            }
            IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
            if (icmp.hasHeader()) {
                icmp.type();
                icmp.isChecksumValid();
                icmp.isError();
            }
        }
    }

    @FuzzTest(maxDuration = "15s")
    void ipv6(byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        Ipv6Packet ip = new Ipv6Packet().wrap(buf);
        Defect d = data.length == 0 ? Defect.TRUNCATED : ip.check();
        if (d == null) {
            assertTrue(ip.upperLayerOffset() >= 40 && ip.upperLayerOffset() + ip.upperLayerLength() <= data.length);
            ip.fragmentOffset();
            ip.moreFragments();
            IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
            if (icmp.hasHeader()) {
                icmp.isChecksumValid();
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void cidr(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            IpCidr c = IpCidr.parse(text);
            assertTrue(IpCidr.parse(c.toString()).equals(c), "round trip of " + text);
        } catch (IllegalArgumentException expected) {
            // refused with a message: fine
        }
    }
}
