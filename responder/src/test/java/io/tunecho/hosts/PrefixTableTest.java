package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefixTableTest {

    private static int ip(String s) {
        return IpCidr.parse(s).ipv4Address();
    }

    @Test
    void theLongestPrefixWins() {
        PrefixTable.Builder<String> b = PrefixTable.builder();
        b.put(IpCidr.parse("10.0.0.0/8"), "a");
        b.put(IpCidr.parse("10.1.0.0/16"), "b");
        b.put(IpCidr.parse("10.1.2.0/24"), "c");
        b.put(IpCidr.parse("10.1.2.3"), "d");
        b.put(IpCidr.parse("0.0.0.0/0"), "default");
        PrefixTable<String> t = b.build();
        assertEquals("d", t.lookupIpv4(ip("10.1.2.3")));
        assertEquals("c", t.lookupIpv4(ip("10.1.2.4")));
        assertEquals("b", t.lookupIpv4(ip("10.1.3.4")));
        assertEquals("a", t.lookupIpv4(ip("10.2.3.4")));
        assertEquals("default", t.lookupIpv4(ip("11.0.0.1")));
        assertEquals("c", t.get(IpCidr.parse("10.1.2.77/24")));
        assertNull(t.get(IpCidr.parse("10.1.2.0/25")));
        assertEquals(5, t.size());
    }

    @Test
    void hostBitsOfAPrefixDoNotMatter() {
        PrefixTable.Builder<String> b = PrefixTable.builder();
        b.put(IpCidr.parse("198.18.0.77/24"), "x");
        PrefixTable<String> t = b.build();
        assertEquals("x", t.lookupIpv4(ip("198.18.0.1")));
        assertEquals("198.18.0.0/24", t.entries().get(0).getKey().toString());
    }

    @Test
    void aLaterPutOfTheSamePrefixReplaces() {
        PrefixTable.Builder<String> b = PrefixTable.builder();
        assertNull(b.put(IpCidr.parse("10.0.0.0/8"), "a"));
        assertEquals("a", b.put(IpCidr.parse("10.9.9.9/8"), "b"));
        assertEquals("b", b.build().lookupIpv4(ip("10.1.1.1")));
    }

    @Test
    void ipv6LongestPrefix() {
        PrefixTable.Builder<String> b = PrefixTable.builder();
        b.put(IpCidr.parse("fd00::/8"), "ula");
        b.put(IpCidr.parse("fd00:198:18::/64"), "lab");
        b.put(IpCidr.parse("fd00:198:18::1"), "own");
        b.put(IpCidr.parse("fd00:198:18:0:8000::/65"), "upper");
        PrefixTable<String> t = b.build();
        IpCidr a = IpCidr.parse("fd00:198:18::2");
        assertEquals("lab", t.lookupIpv6(a.high(), a.low()));
        assertEquals("own", t.lookup(IpCidr.parse("fd00:198:18::1")));
        assertEquals("upper", t.lookup(IpCidr.parse("fd00:198:18:0:8000::5")));
        assertEquals("ula", t.lookup(IpCidr.parse("fd12::1")));
        assertNull(t.lookup(IpCidr.parse("2001:db8::1")));
        assertNull(t.lookupIpv4(0), "IPv4 and IPv6 entries are apart");
    }

    /** Against a plain scan over every entry: random prefixes and addresses, both families. */
    @Test
    void agreesWithALinearScan() {
        Random r = new Random(42);
        PrefixTable.Builder<Integer> b = PrefixTable.builder();
        IpCidr[] prefixes = new IpCidr[2000];
        for (int i = 0; i < prefixes.length; i++) {
            int base = 0x0A000000 | r.nextInt(1 << 16) << 8;
            prefixes[i] = i % 2 == 0 ? IpCidr.ipv4(base | r.nextInt(256), 8 + r.nextInt(25))
                    : IpCidr.ipv6(0xfd00_0000_0000_0000L | r.nextInt(1 << 16), r.nextLong(), 8 + r.nextInt(121));
            b.put(prefixes[i], i);
        }
        PrefixTable<Integer> t = b.build();
        for (int n = 0; n < 20000; n++) {
            IpCidr probe = n % 2 == 0 ? IpCidr.ipv4(0x0A000000 | r.nextInt(1 << 24), 32)
                    : IpCidr.ipv6(0xfd00_0000_0000_0000L | r.nextInt(1 << 16), r.nextLong(), 128);
            Integer expected = null;
            int best = -1;
            for (int i = 0; i < prefixes.length; i++) {
                IpCidr p = prefixes[i];
                boolean in = probe.isIpv4() ? p.containsIpv4(probe.ipv4Address())
                        : p.containsIpv6(probe.high(), probe.low());
                if (in && p.prefixLength() >= best) {
                    // a prefix put twice keeps the later value, which is also the higher index here
                    best = p.prefixLength();
                    expected = t.get(p);
                }
            }
            assertEquals(expected, t.lookup(probe), probe.toString());
        }
    }

    /**
     * 10,000 entries covering 1,000,000 addresses build fast and look up without growing with the table. Not a
     * timed assertion of speed (benchmarks measure that): a bound that catches an accidental quadratic build.
     */
    @Test
    void tenThousandEntriesBuildQuickly() {
        long start = System.nanoTime();
        PrefixTable.Builder<Integer> b = PrefixTable.builder();
        for (int i = 0; i < 10_000; i++) {
            b.put(IpCidr.ipv4(0x0A000000 + i * 128, 25), i); // 10,000 /25s: 1,280,000 addresses
        }
        PrefixTable<Integer> t = b.build();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2000, "building 10,000 entries took " + millis + " ms");
        assertEquals(Integer.valueOf(0), t.lookupIpv4(0x0A000001));
        assertEquals(Integer.valueOf(9999), t.lookupIpv4(0x0A000000 + 9999 * 128 + 127));
        assertNull(t.lookupIpv4(0x0A000000 + 10_000 * 128));
    }
}
