package io.tunecho.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpCidrTest {

    @Test
    void parsesAnIpv4InterfaceAddress() {
        IpCidr c = IpCidr.parse("198.18.0.1/24");
        assertTrue(c.isIpv4());
        assertEquals(0xC6120001, c.ipv4Address());
        assertEquals(24, c.prefixLength());
        assertEquals(0xC6120000, c.ipv4Network());
        assertEquals(0xC61200FF, c.ipv4Broadcast());
        assertEquals(0xFFFFFF00, c.ipv4Netmask());
        assertEquals("198.18.0.0/24", c.subnet().toString());
        assertEquals("198.18.0.1/24", c.toString());
        assertEquals("198.18.0.1", c.addressText());
        assertTrue(c.containsIpv4(0xC6120042));
        assertFalse(c.containsIpv4(0xC6130001));
        assertFalse(c.isNetworkAddress());
        assertTrue(c.subnet().isNetworkAddress());
    }

    @Test
    void aBareAddressIsASingleAddress() {
        assertEquals(IpCidr.ipv4(0x0A000001, 32), IpCidr.parse("10.0.0.1"));
        assertTrue(IpCidr.parse("10.0.0.1").isSingleAddress());
        assertEquals(128, IpCidr.parse("fd00::1").prefixLength());
    }

    @Test
    void slash0ContainsEverything() {
        assertTrue(IpCidr.parse("0.0.0.0/0").containsIpv4(0xFFFFFFFF));
        assertTrue(IpCidr.parse("::/0").containsIpv6(-1L, -1L));
    }

    @Test
    void prefixesContainTheirOwnKindOnly() {
        assertTrue(IpCidr.parse("10.0.0.0/8").contains(IpCidr.parse("10.9.0.0/16")));
        assertFalse(IpCidr.parse("10.9.0.0/16").contains(IpCidr.parse("10.0.0.0/8")));
        assertFalse(IpCidr.parse("10.0.0.0/8").contains(IpCidr.parse("::a00:0/104")));
        assertFalse(IpCidr.parse("::/0").containsIpv6(0, 0) && IpCidr.parse("0.0.0.0/0").containsIpv6(0, 0));
    }

    @Test
    void parsesIpv6() {
        IpCidr c = IpCidr.parse("fd00:198:18::1/64");
        assertTrue(c.isIpv6());
        assertEquals(0xfd00_0198_0018_0000L, c.high());
        assertEquals(1L, c.low());
        assertEquals("fd00:198:18::/64", c.subnet().toString());
        assertTrue(c.containsIpv6(0xfd00_0198_0018_0000L, 0x1234_5678_9abc_def0L));
        assertFalse(c.containsIpv6(0xfd00_0198_0018_0001L, 1));
        assertTrue(IpCidr.parse("fd00::/7").containsIpv6(0xfc00_0000_0000_0000L, 0));
        assertTrue(IpCidr.parse("2001:db8::8000:0/97").containsIpv6(0x2001_0db8_0000_0000L, 0xffff_ffffL));
        assertFalse(IpCidr.parse("2001:db8::8000:0/97").containsIpv6(0x2001_0db8_0000_0000L, 0x7fff_ffffL));
    }

    /** RFC 4291 2.2's text forms in, RFC 5952 out. */
    @ParameterizedTest
    @CsvSource({
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "2001:DB8:0:0:8:800:200C:417A, 2001:db8::8:800:200c:417a",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "fd00:198:18::1, fd00:198:18::1",
            "::ffff:198.18.0.1, ::ffff:c612:1",
            "::13.1.68.3, ::d01:4403",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "ff02::1:ff00:1, ff02::1:ff00:1",
    })
    void ipv6TextForms(String in, String out) throws Exception {
        IpCidr c = IpCidr.parse(in);
        assertEquals(out, c.addressText());
        byte[] theirs = InetAddress.getByName(in).getAddress(); // Java turns ::ffff:a.b.c.d into an IPv4 address
        byte[] ours = c.inetAddress().getAddress();
        assertArrayEquals(theirs, theirs.length == 4 ? java.util.Arrays.copyOfRange(ours, 12, 16) : ours);
        assertEquals(c, IpCidr.parse(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "a.b.c.d",
            "1.2.3.4/-1", "1..2.3", " / ", "1.2.3.4/2x", "example.com", "1:::2", "1::2::3", "12345::", ":1::",
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "fe80::1%eth0", "::1/129", "g::1", "1:2:3:4:5:6:7:8::",
            "::1.2.3.4:5", "1:", "1.2.3.4.", "1234.1.1.1", ".1.2.3", "1.2.3.-4", "1.2.3.4 5"})
    void rejectsWhatIsNotACidr(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpCidr.parse(text));
        assertTrue(e.getMessage().contains("'" + text.trim() + "'") || text.isBlank(), e.getMessage());
    }

    @Test
    void ipv4ClassesAsLinuxSeesThem() {
        assertTrue(IpAddresses.isIpv4Multicast(0xE0000001));
        assertTrue(IpAddresses.isIpv4Multicast(0xEFFFFFFF));
        assertFalse(IpAddresses.isIpv4Multicast(0xF0000001)); // class E is no multicast
        assertTrue(IpAddresses.isIpv4ZeroNet(0x00FFFFFF));
        assertTrue(IpAddresses.isIpv4Loopback(0x7F000001));
        assertFalse(IpAddresses.isIpv4Loopback(0x80000001));
    }

    @Test
    void alignedSubnetsSpreadOverTheLowBitsOfTheirHashes() {
        // 4,096 aligned /26s (all host bits zero) and 4,096 /64s: a hash table of 4,096 buckets looks at the low 12
        // bits. Random hashes would fill ~2,590 of them; the old sum of the words filled 64 with the /26s.
        java.util.Set<Integer> v4 = new java.util.HashSet<>();
        java.util.Set<Integer> v6 = new java.util.HashSet<>();
        for (int i = 0; i < 4096; i++) {
            v4.add(IpCidr.ipv4(0x0A0A0000 + i * 64, 26).hashCode() & 0xFFF);
            v6.add(IpCidr.parse(String.format("fd00:0:0:%x::/64", i)).hashCode() & 0xFFF);
        }
        assertTrue(v4.size() > 2400, v4.size() + " buckets for IPv4");
        assertTrue(v6.size() > 2400, v6.size() + " buckets for IPv6");
    }

    @Test
    void theHashTellsTheFamilyAndThePrefixLengthApart() {
        assertTrue(IpCidr.parse("10.0.0.0/8").hashCode() != IpCidr.parse("10.0.0.0/16").hashCode());
        assertTrue(IpCidr.parse("::a00:0/8").hashCode() != IpCidr.parse("10.0.0.0/8").hashCode());
        assertEquals(IpCidr.parse("10.1.2.3/24").hashCode(), IpCidr.parse("10.1.2.3/24").hashCode());
    }
}
