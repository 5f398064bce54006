package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SYN flood ({@code hping3}, bounded in count and time) against an open port leaves tunecho's memory flat: open
 * ports keep no state per connection (SYN cookies). The SYNs come from random sources, so that no two share a 4-tuple,
 * the worst case for a connection table.
 *
 * <p>This server runs without Netty's leak detector (the other namespace tests run it at paranoid): at paranoid it
 * answers only a few thousand SYNs a second, the TUN's queue overflows and most of the flood never reaches it. The
 * test counts the SYN-ACKs it wrote, so that a flood that does not arrive fails rather than passes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpFloodIT {
    private static final String IFACE = "tunit62";
    private static final String WEB = "198.18.62.10";
    private static final int SYNS = 80_000;

    private TunechoProcess tunecho;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        List<String> yaml = List.of(
                "interface: { name: " + IFACE + ", address: 198.18.62.1/24 }",
                "hosts:",
                "  - { match: " + WEB + ", tcp: { open: [22] } }");
        tunecho = TunechoProcess.startWithConfig(List.of("-Dio.netty.leakDetection.level=disabled"), yaml);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            tunecho.stop();
        }
    }

    /**
     * The heap that stays after a full GC does not grow with the SYNs: a table entry per SYN would take 50 bytes at
     * least, 3 MB for these (a HashMap of them took 5 MB when tried). RSS is checked loosely: the collector and the
     * JIT commit and return memory as they like (up to 16 MB up in runs where the retained heap grew by 10 kB).
     */
    @Test
    void aSynFloodLeavesMemoryFlat() throws Exception {
        flood(10_000); // warms up the TCP path, so that what is compiled and loaded is there before measuring
        long heapBefore = retainedHeapKb();
        long rssBefore = rssKb();
        long sentBefore = packetsWrittenByTunecho();
        flood(SYNS);
        long answered = packetsWrittenByTunecho() - sentBefore;
        long heapAfter = retainedHeapKb();
        long rssAfter = rssKb();
        System.out.printf("SYN flood: %d SYNs, %d answered; retained heap %d -> %d kB, RSS %d -> %d kB%n", SYNS,
                answered, heapBefore, heapAfter, rssBefore, rssAfter);
        // About 7 % of random sources are martians (0/8, 127/8, multicast, ...), dropped unanswered.
        assertTrue(answered >= SYNS * 3 / 4, "only " + answered + " of " + SYNS + " SYNs answered");
        assertTrue(heapAfter - heapBefore < 2048, "the heap grew from " + heapBefore + " to " + heapAfter + " kB");
        assertTrue(rssAfter - rssBefore < 32 * 1024, "RSS grew from " + rssBefore + " to " + rssAfter + " kB");
    }

    private static void flood(int count) throws Exception {
        // -i u1 is hping3's fastest mode that still stops at the count (--flood ignores it): 6-10k SYNs/s here.
        Netns.Result r = Netns.run(120, "timeout", "60", "hping3", "-q", "-S", "-p", "22", "--rand-source", "-i", "u1",
                "-c", Integer.toString(count), WEB);
        assertTrue(r.output().contains(count + " packets transmitted"), "hping3 did not send them all:\n"
                + r.output());
    }

    /** What tunecho wrote into the TUN: the kernel's receive count of the interface. */
    private static long packetsWrittenByTunecho() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/net/dev"))) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(IFACE)) {
                return Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[1]);
            }
        }
        throw new AssertionError("no " + IFACE + " in /proc/self/net/dev");
    }

    /** The heap in use after a full collection, by {@code jcmd GC.run} then {@code GC.heap_info}. */
    private long retainedHeapKb() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String pid = Long.toString(tunecho.pid());
        Netns.run(30, jcmd, pid, "GC.run").assertSuccess();
        String info = Netns.run(30, jcmd, pid, "GC.heap_info").assertSuccess().output();
        // G1 has one line "total ...K, used ...K"; the generational collectors one per generation.
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        assertTrue(found, info);
        return used;
    }

    private long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(tunecho.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + tunecho.pid());
    }
}
