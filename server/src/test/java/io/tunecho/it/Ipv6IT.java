package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPv6 with the real {@code ping -6}: the subnet, a routed host entry, profiles, down and unreachable hosts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ipv6IT {
    private TunechoProcess tunecho;

    /** Options that pick the transport: epoll here (not the default, auto), io_uring in {@link Ipv6IoUringIT}. */
    protected List<String> transportOptions() {
        return List.of("--transport", "epoll");
    }

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        List<String> yaml = List.of(
                "interface: { name: tunit60, address: 198.18.60.1/24, address6: 'fd00:198:60::1/64' }",
                "hosts:",
                "  - { match: 'fd00:198:60::10', ttl: 128, delay: 30ms }",
                "  - { match: 'fd00:198:60::20', state: down }",
                "  - { match: 'fd00:198:60::21', state: unreachable }",
                "  - { match: 'fd00:200::/64', ttl: 255 }");
        tunecho = TunechoProcess.startWithConfig(List.of(), yaml, transportOptions().toArray(new String[0]));
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            tunecho.stop();
        }
    }

    private static PingOutput ping6(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ping", "-6", "-n"));
        cmd.addAll(List.of(args));
        return PingOutput.parse(Netns.run(60, cmd.toArray(new String[0])).output());
    }

    @Test
    void theInterfaceHasItsIpv6AddressAndTheStartUpLineSaysSo() throws Exception {
        String addr = Netns.run(10, "ip", "-6", "-o", "addr", "show", "dev", "tunit60").assertSuccess().output();
        assertTrue(addr.contains("fd00:198:60::1/64"), addr);
        assertTrue(tunecho.output().contains("fd00:198:60::/64"), tunecho.output());
    }

    @Test
    void pingSixGetsEchoRepliesWithHopLimit64() throws Exception {
        PingOutput p = ping6("-c", "3", "-i", "0.2", "fd00:198:60::7");
        assertEquals(3, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
        p.replies().forEach(r -> {
            assertEquals("fd00:198:60::7", r.from());
            assertEquals(64, r.ttl());
        });
    }

    @Test
    void payloadsOfManySizesComeBackIntact() throws Exception {
        for (int size : new int[] {0, 1, 56, 1000, 1452}) {
            PingOutput p = ping6("-c", "1", "-s", Integer.toString(size), "fd00:198:60::8");
            assertEquals(1, p.received(), size + ":\n" + p.text());
            assertTrue(p.allRepliesIntact(), p.text());
        }
    }

    @Test
    void aHostEntryWithAProfileOfItsOwn() throws Exception {
        PingOutput p = ping6("-c", "3", "-i", "0.2", "fd00:198:60::10");
        assertEquals(3, p.received(), p.text());
        assertEquals(128, p.replies().get(0).ttl());
        assertTrue(p.medianMillis() >= 29.9, p.text());
    }

    @Test
    void aRoutedIpv6PrefixIsAnswered() throws Exception {
        PingOutput p = ping6("-c", "2", "-i", "0.2", "fd00:200::5");
        assertEquals(2, p.received(), p.text());
        assertEquals(255, p.replies().get(0).ttl());
    }

    @Test
    void downAndUnreachableHosts() throws Exception {
        PingOutput down = ping6("-c", "2", "-i", "0.2", "-W", "1", "fd00:198:60::20");
        assertEquals(0, down.received(), down.text());
        PingOutput gone = ping6("-c", "2", "-i", "0.2", "-W", "1", "fd00:198:60::21");
        assertEquals(0, gone.received(), gone.text());
        assertTrue(gone.text().contains("Destination unreachable: Address unreachable"), gone.text());
    }

    @Test
    void fpingSixSeesTheUpHosts() throws Exception {
        Netns.Result r = Netns.run(30, "fping", "-6", "-a", "-r", "0", "-t", "300", "fd00:198:60::5",
                "fd00:198:60::20", "fd00:198:60::30");
        assertEquals("fd00:198:60::5\nfd00:198:60::30", r.output().strip(), r.output());
    }
}
