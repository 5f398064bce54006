package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lognormal delay: {@code delay} is its median, {@code p99} its 99th percentile; what it needs to be defined. */
class LognormalDelayTest {
    private static final long MS = 1_000_000L;

    private static Behaviour lognormal(long delay, Long p99, long jitter) {
        return new Behaviour(HostSettings.BUILT_IN.overriddenBy(HostSettings.builder()
                .set(HostSetting.DELAY, delay).set(HostSetting.P99, p99).set(HostSetting.JITTER, jitter)
                .set(HostSetting.DISTRIBUTION, JitterDistribution.LOGNORMAL).build()));
    }

    @Test
    void theMedianIsTheDelayAndTheP99IsP99() {
        Behaviour b = lognormal(5 * MS, 20 * MS, 0);
        SplittableRandom r = new SplittableRandom(23);
        long[] d = new long[100_000];
        for (int i = 0; i < d.length; i++) {
            d[i] = b.sampleDelayNanos(r);
            assertTrue(d[i] > 0, "never below zero");
        }
        Arrays.sort(d);
        double median = d[d.length / 2];
        double p99 = d[(int) (d.length * 0.99)];
        assertEquals(5 * MS, median, 0.02 * 5 * MS, "median");
        assertEquals(20 * MS, p99, 0.02 * 20 * MS, "99th percentile");
    }

    @Test
    void sigmaFromTheMedianAndP99() {
        assertEquals(Math.log(4) / 2.3263478740408408, JitterDistribution.sigma(5 * MS, 20 * MS), 1e-12);
    }

    @Test
    void p99MustBeSetAndLongerThanTheDelay() {
        String m = assertThrows(IllegalArgumentException.class, () -> lognormal(5 * MS, null, 0)).getMessage();
        assertEquals("distribution: lognormal needs delay (its median) longer than 0 and p99 (its 99th percentile) "
                + "longer than delay; delay is 5ms, p99 not set", m);
        m = assertThrows(IllegalArgumentException.class, () -> lognormal(20 * MS, 20 * MS, 0)).getMessage();
        assertTrue(m.endsWith("delay is 20ms, p99 is 20ms"), m);
        m = assertThrows(IllegalArgumentException.class, () -> lognormal(0, 20 * MS, 0)).getMessage();
        assertTrue(m.endsWith("delay is 0s, p99 is 20ms"), m);
    }

    @Test
    void jitterDoesNotApplyToLognormal() {
        String m = assertThrows(IllegalArgumentException.class, () -> lognormal(5 * MS, 20 * MS, MS)).getMessage();
        assertEquals("jitter (1ms) does not apply to distribution: lognormal, whose spread p99 sets; remove it or "
                + "set jitter: 0s", m);
    }

    @Test
    void otherDistributionsIgnoreP99() {
        Behaviour b = new Behaviour(HostSettings.BUILT_IN.overriddenBy(HostSettings.builder()
                .set(HostSetting.DELAY, 5 * MS).set(HostSetting.P99, 2 * MS).build()));
        assertEquals(5 * MS, b.sampleDelayNanos(new SplittableRandom(1)), "normal without jitter: the delay");
        assertEquals(2 * MS, b.p99Nanos());
    }

    @Test
    void theEntryNamesItsSourceInTheError() {
        HostSettings s = HostSettings.builder().set(HostSetting.DELAY, 5 * MS)
                .set(HostSetting.DISTRIBUTION, JitterDistribution.LOGNORMAL).build();
        String m = assertThrows(IllegalArgumentException.class, () -> HostTable.build(new HostConfig(
                io.tunecho.wire.IpCidr.parse("198.18.0.1/24"), java.util.List.of(), java.util.Map.of(),
                java.util.List.of(new HostSpec(io.tunecho.wire.IpCidr.parse("198.18.0.10"), null, s, 0,
                        "lab.yaml:7"))), null, new ManualClock())).getMessage();
        assertTrue(m.startsWith("lab.yaml:7: distribution: lognormal needs delay"), m);
    }
}
