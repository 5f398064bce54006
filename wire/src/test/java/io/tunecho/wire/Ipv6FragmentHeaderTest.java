package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fragment header view and the extension header walks, on the fragments of a real {@code ping -6 -s 8000}. */
class Ipv6FragmentHeaderTest {
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private List<ByteBuf> ping6() {
        List<ByteBuf> packets = Captures.load(Captures.PING6_S8000);
        buffers.addAll(packets);
        return packets;
    }

    private ByteBuf buf(String hex) {
        ByteBuf b = Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
        buffers.add(b);
        return b;
    }

    @Test
    void readsTheFragmentsOfARealPing() {
        List<ByteBuf> fragments = ping6();
        assertEquals(6, fragments.size());
        Ipv6Packet ip = new Ipv6Packet();
        Ipv6FragmentHeader fh = new Ipv6FragmentHeader();
        for (int i = 0; i < 6; i++) {
            assertNull(ip.wrap(fragments.get(i)).check());
            assertTrue(ip.isFragment());
            fh.wrapIn(ip);
            assertEquals(40, fh.offset());
            assertEquals(58, fh.nextHeader(), "ICMPv6 in every fragment");
            assertEquals(0x47d92de0, fh.identification());
            assertEquals(1448 * i, fh.fragmentOffset(), "1500 - 40 - 8, rounded down to 8");
            assertEquals(i < 5, fh.moreFragments());
            assertFalse(fh.isAtomic());
            assertEquals(fh.fragmentOffset(), ip.fragmentOffset(), "agrees with Ipv6Packet");
            assertEquals(6, Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, 40), "the fixed header names it");
            assertEquals(-1, Ipv6ExtensionHeaders.unfragmentableLength(ip), "fragmented already");
        }
        assertEquals(1448 + 48, fragments.get(0).readableBytes());
        assertEquals(8008 - 5 * 1448 + 48, fragments.get(5).readableBytes());
    }

    @Test
    void writesAFragmentHeader() {
        ByteBuf b = Unpooled.directBuffer(8).writeZero(8);
        buffers.add(b);
        Ipv6FragmentHeader.set(b, 0, 58, 2896, true, 0x47d92de0);
        assertEquals("3a000b5147d92de0", ByteBufUtil.hexDump(b), "as Linux wrote the third fragment's");
        Ipv6FragmentHeader fh = new Ipv6FragmentHeader().wrap(b, 0);
        assertEquals(2896, fh.fragmentOffset());
        assertTrue(fh.moreFragments());
        Ipv6FragmentHeader.set(b, 0, 58, 0, false, 7);
        assertTrue(fh.isAtomic());
        assertThrows(IllegalArgumentException.class, () -> Ipv6FragmentHeader.set(b, 0, 58, 12, true, 1));
    }

    @Test
    void findsTheFieldThatNamesAHeader() {
        // hop-by-hop (8) -> destination options (8) -> routing (24) -> destination options (8) -> ICMPv6 (8)
        String hex = "6000000000380040" + "fd000000000000000000000000000001" + "fd000000000000000000000000000002"
                + "3c00010400000000" + "2b00010400000000"
                + "3c02000000000000" + "00000000000000000000000000000000"
                + "3a00010400000000" + "8100000000000000";
        Ipv6Packet ip = new Ipv6Packet().wrap(buf(hex));
        assertNull(ip.check());
        assertEquals(6, Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, 40));
        assertEquals(40, Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, 48));
        assertEquals(48, Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, 56));
        assertEquals(56, Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, 80));
        assertEquals(80, Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, 88), "the one naming ICMPv6");
        assertThrows(IllegalArgumentException.class, () -> Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, 44));
        assertEquals(80, Ipv6ExtensionHeaders.unfragmentableLength(ip),
                "through the routing header, with the destination options before it, not the one after");
    }

    @Test
    void theUnfragmentablePartEndsAfterHopByHopOrRouting() {
        String addresses = "fd000000000000000000000000000001" + "fd000000000000000000000000000002";
        Ipv6Packet ip = new Ipv6Packet();
        assertNull(ip.wrap(buf("600000000008" + "3a40" + addresses + "8100000000000000")).check());
        assertEquals(40, Ipv6ExtensionHeaders.unfragmentableLength(ip), "no extension headers");
        assertNull(ip.wrap(buf("600000000010" + "0040" + addresses + "3a00010400000000" + "8100000000000000"))
                .check());
        assertEquals(48, Ipv6ExtensionHeaders.unfragmentableLength(ip), "hop-by-hop");
        assertNull(ip.wrap(buf("600000000010" + "3c40" + addresses + "3a00010400000000" + "8100000000000000"))
                .check());
        assertEquals(40, Ipv6ExtensionHeaders.unfragmentableLength(ip), "destination options alone: fragmentable");
    }
}
