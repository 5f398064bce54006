package io.tunecho.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delay is a floor, as in netem: a host with {@code delay: 10ms} never answers in less, as a user who asserts
 * "RTT >= 10 ms" would check it: 1,000 pings at 500 a second (where a timer that fires early would show) and 100 at
 * 20 a second, on each transport; ping's minimum round trip is at least 10 ms.
 */
class DelayFloorIT {
    private static final Pattern RTT = Pattern.compile("rtt min/avg/max/mdev = ([0-9.]+)/([0-9.]+)/([0-9.]+)");

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void noReplyArrivesBeforeItsDelay(String transport) throws Exception {
        Netns.assertPrivateNamespace();
        List<String> yaml = List.of(
                "interface: { name: tunit30, address: 198.18.30.1/24 }",
                "transport: " + transport,
                "hosts:",
                "  - { match: 198.18.30.10, delay: 10ms }");
        try (TunechoProcess tunecho = TunechoProcess.startWithConfig(List.of(), yaml)) {
            assertFloor(Netns.run(60, "ping", "-n", "-q", "-c", "1000", "-i", "0.002", "-W", "1", "198.18.30.10"));
            assertFloor(Netns.run(60, "ping", "-n", "-q", "-c", "100", "-i", "0.05", "-W", "1", "198.18.30.10"));
        }
    }

    private static void assertFloor(Netns.Result r) {
        PingOutput out = PingOutput.parse(r.output());
        assertEquals(out.transmitted(), out.received(), "every ping answered:\n" + r.output());
        Matcher m = RTT.matcher(r.output());
        assertTrue(m.find(), "ping printed its round trips:\n" + r.output());
        double min = Double.parseDouble(m.group(1));
        assertTrue(min >= 10.0, "the fastest round trip " + min + " ms is not below the 10 ms delay:\n" + r.output());
    }
}
