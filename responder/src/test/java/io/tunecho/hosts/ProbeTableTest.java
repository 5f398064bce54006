package io.tunecho.hosts;

import io.tunecho.hosts.ProbeTable.Protocol;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe table: figures per protocol, intervals, sources, the bound and its eviction, IPv6, threads. */
class ProbeTableTest {
    private static final int HOST = ip("198.18.0.30");
    private static final int MONITOR = ip("198.18.0.1");

    private final ManualClock clock = new ManualClock();

    private static int ip(String text) {
        return IpCidr.parse(text).ipv4Address();
    }

    private static List<ProbeRecord> within(ProbeTable t, IpCidr prefix) {
        return t.page(prefix, 0, Integer.MAX_VALUE).records();
    }

    private void probe(ProbeTable t, Protocol p, int dst, int src) {
        t.recordIpv4(p, dst, src, clock.currentTimeMillis());
    }

    @Test
    void aRecorderGivesWhatRecordingOneByOneGives() {
        ProbeTable one = new ProbeTable(100, clock);
        ProbeTable batched = new ProbeTable(100, clock);
        ProbeTable.Recorder recorder = batched.recorder();
        int other = ip("198.18.0.31");
        int[] destinations = {HOST, HOST, HOST, other, HOST, HOST, other, other};
        Protocol[] protocols = {Protocol.ICMP_ECHO, Protocol.ICMP_ECHO, Protocol.TCP_SYN, Protocol.UDP};
        Random random = new Random(3);
        for (int burst = 0; burst < 50; burst++) {
            for (int i = 0; i < 12; i++) {
                int dst = destinations[random.nextInt(destinations.length)];
                int src = random.nextInt(4) == 0 ? ip("198.18.0.2") : MONITOR;
                Protocol p = protocols[random.nextInt(protocols.length)];
                if (random.nextInt(4) > 0) {
                    one.recordIpv4(p, dst, src, clock.currentTimeMillis());
                    recorder.recordIpv4(p, dst, src, clock.currentTimeMillis());
                } else {
                    one.recordIpv6(p, 1, dst, 2, src, clock.currentTimeMillis());
                    recorder.recordIpv6(p, 1, dst, 2, src, clock.currentTimeMillis());
                }
                if (random.nextInt(5) == 0) {
                    clock.advance(random.nextInt(3), TimeUnit.MILLISECONDS); // a burst may span milliseconds
                }
            }
            recorder.flush(); // the end of a read burst
            clock.advance(random.nextInt(40), TimeUnit.MILLISECONDS);
        }
        assertEquals(within(one, null), within(batched, null));
        recorder.recordIpv4(Protocol.ICMP_ECHO, HOST, MONITOR, clock.currentTimeMillis());
        recorder.recordIpv4(Protocol.ICMP_ECHO, HOST, MONITOR, clock.currentTimeMillis());
        long before = batched.get(IpCidr.parse("198.18.0.30")).probes();
        recorder.flush();
        assertEquals(before + 2, batched.get(IpCidr.parse("198.18.0.30")).probes(), "recorded at the flush");
    }

    @Test
    void countsProbesAndIntervalsByProtocol() {
        ProbeTable t = new ProbeTable(100, clock);
        long start = clock.currentTimeMillis();
        probe(t, Protocol.ICMP_ECHO, HOST, MONITOR);
        clock.advance(1000, TimeUnit.MILLISECONDS);
        probe(t, Protocol.ICMP_ECHO, HOST, MONITOR);
        clock.advance(250, TimeUnit.MILLISECONDS);
        probe(t, Protocol.TCP_SYN, HOST, MONITOR);
        clock.advance(2000, TimeUnit.MILLISECONDS);
        probe(t, Protocol.ICMP_ECHO, HOST, MONITOR);

        ProbeRecord r = t.get(IpCidr.parse("198.18.0.30"));
        assertNotNull(r);
        assertEquals(IpCidr.parse("198.18.0.30/32"), r.address());
        assertEquals(4, r.probes());
        assertEquals(start, r.firstMillis());
        assertEquals(start + 3250, r.lastMillis());
        assertEquals(List.of(Protocol.ICMP_ECHO, Protocol.TCP_SYN), List.copyOf(r.byProtocol().keySet()),
                "only the protocols that probed, in order");
        // echo requests at 0, 1000 and 3250 ms: intervals 1000 and 2250
        assertEquals(new ProbeRecord.Series(3, start, start + 3250, 2250, 1625, 2250),
                r.byProtocol().get(Protocol.ICMP_ECHO));
        assertEquals(new ProbeRecord.Series(1, start + 1250, start + 1250, 0, 0, 0),
                r.byProtocol().get(Protocol.TCP_SYN), "one probe has no interval");
        assertNull(t.get(IpCidr.parse("198.18.0.31")), "never probed");
        assertEquals(1, t.size());
    }

    @Test
    void keepsTheLastFourSourcesMostRecentFirst() {
        ProbeTable t = new ProbeTable(100, clock);
        for (String src : List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.4", "10.0.0.5")) {
            probe(t, Protocol.UDP, HOST, ip(src));
        }
        assertEquals(List.of("10.0.0.5", "10.0.0.4", "10.0.0.1", "10.0.0.3"),
                t.get(IpCidr.parse("198.18.0.30")).sources().stream().map(IpCidr::addressText).toList(),
                "10.0.0.1 probed again moved to the front; 10.0.0.2, the oldest, went");
    }

    @Test
    void aFullTableForgetsTheLeastRecentlyProbed() {
        ProbeTable t = new ProbeTable(3, clock);
        int a = ip("198.18.0.1");
        int b = ip("198.18.0.2");
        int c = ip("198.18.0.3");
        int d = ip("198.18.0.4");
        probe(t, Protocol.ICMP_ECHO, a, MONITOR);
        clock.advance(1, TimeUnit.SECONDS);
        probe(t, Protocol.ICMP_ECHO, b, MONITOR);
        clock.advance(1, TimeUnit.SECONDS);
        probe(t, Protocol.ICMP_ECHO, c, MONITOR);
        clock.advance(1, TimeUnit.SECONDS);
        probe(t, Protocol.ICMP_ECHO, a, MONITOR); // a is now the most recent: b is the least
        probe(t, Protocol.ICMP_ECHO, d, MONITOR);

        assertEquals(3, t.size());
        assertEquals(1, t.forgotten());
        assertNull(t.get(IpCidr.ipv4(b, 32)), "the least recently probed went");
        assertEquals(2, t.get(IpCidr.ipv4(a, 32)).probes());
        assertEquals(1, t.get(IpCidr.ipv4(d, 32)).probes(), "the new address starts afresh in the reused slot");
        assertEquals(List.of(MONITOR), t.get(IpCidr.ipv4(d, 32)).sources().stream().map(IpCidr::ipv4Address)
                .toList());

        probe(t, Protocol.UDP, b, ip("10.9.9.9"));
        assertEquals(2, t.forgotten());
        assertNull(t.get(IpCidr.ipv4(c, 32)), "c was the least recently probed then");
        ProbeRecord back = t.get(IpCidr.ipv4(b, 32));
        assertEquals(1, back.probes(), "a forgotten address comes back as new");
        assertEquals(Map.of(Protocol.UDP, new ProbeRecord.Series(1, clock.currentTimeMillis(),
                clock.currentTimeMillis(), 0, 0, 0)), back.byProtocol());
    }

    @Test
    void staysWithinItsBoundUnderManyAddresses() {
        ProbeTable t = new ProbeTable(20_000, clock);
        for (int i = 0; i < 100_000; i++) {
            probe(t, Protocol.ICMP_ECHO, 0x0A000000 + i, MONITOR);
            clock.advance(1, TimeUnit.MILLISECONDS);
        }
        assertTrue(t.size() <= 20_000 && t.size() > 19_000, "size " + t.size());
        assertEquals(100_000 - t.size(), t.forgotten());
        // every stripe evicts its least recently probed: the most recent addresses are all there
        for (int i = 100_000 - 1000; i < 100_000; i++) {
            assertNotNull(t.get(IpCidr.ipv4(0x0A000000 + i, 32)), "address " + i);
        }
        assertNull(t.get(IpCidr.ipv4(0x0A000000, 32)));
        assertEquals(t.size(), t.page(null, 0, Integer.MAX_VALUE).records().size());
    }

    @Test
    void tracksIpv6AndKeepsItApartFromIpv4() {
        ProbeTable t = new ProbeTable(100, clock);
        IpCidr v6 = IpCidr.parse("fd00:198:18::30");
        IpCidr src = IpCidr.parse("fd00:198:18::1");
        t.recordIpv6(Protocol.ICMP_ECHO, v6.high(), v6.low(), src.high(), src.low(), clock.currentTimeMillis());
        // ::198.18.0.30 has the same low bits as the IPv4 address: a different address all the same
        IpCidr mapped = IpCidr.ipv6(0, HOST & 0xFFFFFFFFL, 128);
        assertNull(t.get(mapped));
        assertNull(t.get(IpCidr.ipv4(HOST, 32)));
        probe(t, Protocol.ICMP_ECHO, HOST, MONITOR);
        ProbeRecord r = t.get(IpCidr.parse("fd00:198:18::30/64"));
        assertEquals(IpCidr.parse("fd00:198:18::30/128"), r.address(), "the prefix length of the query is ignored");
        assertEquals(List.of(IpCidr.parse("fd00:198:18::1/128")), r.sources());
        assertEquals(1, t.get(IpCidr.ipv4(HOST, 32)).probes());
    }

    @Test
    void aPageCopiesOnlyItsRecordsAndCountsEveryMatch() {
        ProbeTable t = new ProbeTable(20_000, clock); // several stripes
        for (int i = 9_999; i >= 0; i--) {
            probe(t, Protocol.ICMP_ECHO, ip("10.0.0.0") + i, MONITOR);
        }
        IpCidr v6 = IpCidr.parse("fd00::7");
        t.recordIpv6(Protocol.UDP, v6.high(), v6.low(), 0, 1, clock.currentTimeMillis());
        ProbeTable.Page all = t.page(null, 9_998, 5);
        assertEquals(10_001, all.matched());
        assertEquals(List.of("10.0.39.14", "10.0.39.15", "fd00::7"), addresses(all.records()), "IPv4 first");
        ProbeTable.Page some = t.page(IpCidr.parse("10.0.1.0/24"), 10, 3);
        assertEquals(256, some.matched());
        assertEquals(List.of("10.0.1.10", "10.0.1.11", "10.0.1.12"), addresses(some.records()));
        assertEquals(0, t.page(IpCidr.parse("10.0.1.0/24"), 300, 3).records().size(), "past the end");
    }

    @Test
    void withinListsAPrefixInAddressOrder() {
        ProbeTable t = new ProbeTable(100, clock);
        for (String a : List.of("198.18.0.200", "198.18.0.3", "198.18.1.1", "198.18.0.20")) {
            probe(t, Protocol.ICMP_ECHO, ip(a), MONITOR);
        }
        for (String a : List.of("fd00::20", "fd00::3")) {
            IpCidr x = IpCidr.parse(a);
            t.recordIpv6(Protocol.UDP, x.high(), x.low(), 0, 1, clock.currentTimeMillis());
        }
        assertEquals(List.of("198.18.0.3", "198.18.0.20", "198.18.0.200"), addresses(within(t,
                IpCidr.parse("198.18.0.0/24"))));
        assertEquals(List.of("198.18.0.3", "198.18.0.20", "198.18.0.200", "198.18.1.1", "fd00::3", "fd00::20"),
                addresses(t.page(null, 0, Integer.MAX_VALUE).records()), "IPv4 before IPv6, each by address");
        assertEquals(List.of("fd00::3", "fd00::20"), addresses(within(t, IpCidr.parse("::/0"))));
        assertEquals(List.of(), addresses(within(t, IpCidr.parse("10.0.0.0/8"))));
    }

    private static List<String> addresses(List<ProbeRecord> records) {
        return records.stream().map(r -> r.address().addressText()).toList();
    }

    @Test
    void forEachVisitsEveryAddressOnce() {
        ProbeTable t = new ProbeTable(100, clock);
        probe(t, Protocol.ICMP_ECHO, HOST, MONITOR);
        probe(t, Protocol.ICMP_ECHO, HOST, MONITOR);
        probe(t, Protocol.UDP, HOST + 1, MONITOR);
        long[] sums = new long[2];
        t.forEach((v6, hi, lo, probes, last) -> {
            sums[0]++;
            sums[1] += probes;
        });
        assertEquals(2, sums[0]);
        assertEquals(3, sums[1]);
    }

    @Test
    void refusesABoundBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new ProbeTable(0, clock));
    }

    @Test
    void twoThreadsRecordingLoseNothing() throws Exception {
        ProbeTable t = new ProbeTable(100_000, clock);
        int perThread = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] threads = new Thread[2];
        for (int k = 0; k < threads.length; k++) {
            int src = MONITOR + k;
            threads[k] = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        t.recordIpv4(Protocol.ICMP_ECHO, 0x0A000000 + (i % 5000), src, 1000 + i);
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            threads[k].start();
        }
        go.countDown();
        while (threads[0].isAlive() || threads[1].isAlive()) {
            for (ProbeRecord r : t.page(IpCidr.parse("10.0.0.0/24"), 0, Integer.MAX_VALUE).records()) { // readers meanwhile see whole records
                assertEquals(r.probes(), r.byProtocol().get(Protocol.ICMP_ECHO).probes(), r.toString());
            }
        }
        for (Thread th : threads) {
            th.join();
        }
        assertNull(failed.get());
        assertEquals(5000, t.size());
        assertEquals(0, t.forgotten());
        long[] total = new long[1];
        t.forEach((v6, hi, lo, probes, last) -> total[0] += probes);
        assertEquals(2L * perThread, total[0]);
        assertEquals(2, t.get(IpCidr.parse("10.0.0.7")).sources().size());
    }
}
