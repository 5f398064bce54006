package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large pings through an interface with an MTU of 9000: packets up to 9000 bytes are read whole and answered
 * whole, larger ones come and go in fragments of that size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JumboLargePingIT {
    private static final String IFACE = "tunit3";
    private TunechoProcess tunecho;

    /**
     * Options that pick the transport: epoll here (not the default, auto), io_uring in
     * {@link JumboLargePingIoUringIT}.
     */
    protected String[] transportOptions() {
        return new String[] {"--transport", "epoll"};
    }

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        String[] args = {"--interface", IFACE, "--mtu", "9000"};
        String[] transport = transportOptions();
        String[] all = java.util.Arrays.copyOf(args, args.length + transport.length);
        System.arraycopy(transport, 0, all, args.length, transport.length);
        tunecho = TunechoProcess.start(all);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            try {
                tunecho.signal("TERM");
                assertEquals(0, tunecho.waitForExit(20), tunecho.output());
                assertTrue(tunecho.output().contains("stopped; replied="), tunecho.output());
                assertTrue(!tunecho.output().contains("LEAK") && !tunecho.output().contains("bad_total_length")
                        && !tunecho.output().contains("fragment_"), tunecho.output());
            } finally {
                tunecho.close();
            }
        }
    }

    private static PingOutput ping(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "ping";
        cmd[1] = "-n";
        System.arraycopy(args, 0, cmd, 2, args.length);
        return PingOutput.parse(Netns.run(60, cmd).output());
    }

    @Test
    void answersPingsUpToTheMtuWhole() throws Exception {
        // -M do: the kernel sends 8028 bytes unfragmented, so tunecho must read and write 8028 bytes at once
        PingOutput p = ping("-c", "2", "-i", "0.2", "-W", "2", "-M", "do", "-s", "8000", "198.18.0.2");
        assertEquals(2, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
        assertEquals(8008, p.replies().get(0).bytes());
    }

    @Test
    void answersTheLargestPingInJumboFragments() throws Exception {
        PingOutput p = ping("-c", "2", "-i", "0.2", "-W", "2", "-s", "65507", "198.18.0.3");
        assertEquals(2, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
        assertEquals(65515, p.replies().get(0).bytes());
    }
}
