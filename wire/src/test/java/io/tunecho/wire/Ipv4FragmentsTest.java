package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPv4 fragment fields on a real {@code ping -s 8000}, and the headers of later fragments. */
class Ipv4FragmentsTest {

    @Test
    void readsTheFragmentsOfARealPing() {
        List<ByteBuf> fragments = Captures.load(Captures.PING_S8000);
        try {
            Ipv4Packet ip = new Ipv4Packet();
            int expectedOffset = 0;
            for (int i = 0; i < 6; i++) {
                assertNull(ip.wrap(fragments.get(i)).check());
                assertTrue(ip.isFragment());
                assertEquals(0xc395, ip.identification());
                assertFalse(ip.dontFragment(), "Linux sends fragments without DF");
                assertEquals(i < 5, ip.moreFragments());
                assertEquals(expectedOffset, ip.fragmentOffset());
                assertEquals(i < 5 ? 1480 : 608, ip.upperLayerLength());
                expectedOffset += ip.upperLayerLength();
            }
            assertEquals(8008, expectedOffset, "the ICMP header and 8000 bytes");
            assertEquals(Ipv4Fragments.dataPerFragment(1500, 20), 1480, "what Linux put in each");
        } finally {
            fragments.forEach(ByteBuf::release);
        }
    }

    @Test
    void dataPerFragmentIsWhatFitsInMultiplesOfEight() {
        assertEquals(1480, Ipv4Fragments.dataPerFragment(1500, 20));
        assertEquals(1456, Ipv4Fragments.dataPerFragment(1500, 44));
        assertEquals(48, Ipv4Fragments.dataPerFragment(68, 20));
        assertEquals(8, Ipv4Fragments.dataPerFragment(68, 60));
        assertEquals(552, Ipv4Fragments.dataPerFragment(576, 20));
    }

    @Test
    void laterHeadersKeepOnlyCopiedOptions() {
        // ping -R's header: a record route option (7, not copied) of 39 bytes and an end of list
        String header = "4f000047ce0c40004001e85ec6120001c6120002" + "010727" + "08c6120001" + "00".repeat(32);
        ByteBuf src = Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(header));
        ByteBuf dst = Unpooled.directBuffer().writeZero(3);
        try {
            Ipv4Fragments.writeLaterHeader(src, 0, dst);
            assertEquals(3 + 60, dst.writerIndex());
            assertEquals(ByteBufUtil.hexDump(src, 0, 20), ByteBufUtil.hexDump(dst, 3, 20), "the fixed header");
            assertEquals("01".repeat(40), ByteBufUtil.hexDump(dst, 23, 40), "NOPs in place of the record route");
            // a loose source route (131: copied) stays, a timestamp (68: not copied) goes, an unknown copied one stays
            String options = "830704c6120009" + "01" + "440c0500" + "0000000000000000" + "9e040000" + "00000000";
            String h2 = "4c000047ce0c40004001e85ec6120001c6120002" + options;
            src.clear().writeBytes(ByteBufUtil.decodeHexDump(h2));
            dst.clear();
            Ipv4Fragments.writeLaterHeader(src, 0, dst);
            assertEquals("830704c6120009" + "01" + "01".repeat(12) + "9e040000" + "00000000",
                    ByteBufUtil.hexDump(dst, 20, 28));
        } finally {
            src.release();
            dst.release();
        }
    }
}
