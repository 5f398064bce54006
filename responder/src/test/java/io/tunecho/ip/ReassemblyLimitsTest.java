package io.tunecho.ip;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ReassemblyLimits}: the defaults, and a clear refusal of values that could not work. */
class ReassemblyLimitsTest {

    @Test
    void theDefaultsAreLinuxsWhereLinuxHasOne() {
        ReassemblyLimits d = ReassemblyLimits.DEFAULTS;
        assertEquals(1024, d.maxDatagrams());
        assertEquals(4L << 20, d.maxBytes());
        assertEquals(Duration.ofSeconds(30), d.ipv4Timeout());
        assertEquals(Duration.ofSeconds(60), d.ipv6Timeout());
        assertEquals(Duration.ofSeconds(5), d.withTimeout(Duration.ofSeconds(5)).ipv6Timeout());
    }

    @Test
    void refusesWhatCouldNotWork() {
        Duration t = Duration.ofSeconds(30);
        assertMessage("reassembly max-datagrams must be 1..65536: 0", () -> new ReassemblyLimits(0, 1 << 20, t, t));
        assertMessage("reassembly max-datagrams must be 1..65536: 65537",
                () -> new ReassemblyLimits(65_537, 1 << 20, t, t));
        assertMessage("reassembly max-bytes must be at least 65536: 1500", () -> new ReassemblyLimits(1, 1500, t, t));
        assertMessage("the IPv4 reassembly time-out must be positive: PT0S",
                () -> new ReassemblyLimits(1, 1 << 20, Duration.ZERO, t));
        assertMessage("the IPv6 reassembly time-out must be positive: null",
                () -> new ReassemblyLimits(1, 1 << 20, t, null));
    }

    private static void assertMessage(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(message, e.getMessage());
        assertTrue(e.getMessage().length() < 120);
    }
}
