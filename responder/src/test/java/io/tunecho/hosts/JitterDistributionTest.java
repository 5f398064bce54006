package io.tunecho.hosts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each distribution keeps the delay its mean and the jitter its spread. */
class JitterDistributionTest {

    @ParameterizedTest
    @EnumSource(JitterDistribution.class)
    void meanZeroAndAUnitSpread(JitterDistribution d) {
        SplittableRandom r = new SplittableRandom(3);
        int n = 400_000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double x = d.sample(r);
            sum += x;
            squares += x * x;
        }
        double mean = sum / n;
        double sd = Math.sqrt(squares / n - mean * mean);
        assertEquals(0, mean, 0.02, d + " mean");
        double expected = d == JitterDistribution.UNIFORM ? 1 / Math.sqrt(3) : 1;
        assertEquals(expected, sd, d == JitterDistribution.PARETO ? 0.1 : 0.02, d + " spread");
    }

    @Test
    void paretoHasAHeavyRightTail() {
        SplittableRandom r = new SplittableRandom(5);
        int above3 = 0;
        int below = 0;
        for (int i = 0; i < 100_000; i++) {
            double x = JitterDistribution.PARETO.sample(r);
            if (x > 3) {
                above3++;
            }
            if (x < 0) {
                below++;
            }
        }
        assertTrue(above3 > 200, "late outliers: " + above3);
        assertTrue(below > 50_000, "most replies a little early: " + below);
    }

    @Test
    void aDelayNeverGoesBelowZero() {
        Behaviour b = new Behaviour(HostSettings.BUILT_IN.overriddenBy(HostSettings.builder()
                .set(HostSetting.DELAY, 1_000_000L).set(HostSetting.JITTER, 5_000_000L).build()));
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(b.sampleDelayNanos(r) >= 0);
        }
    }
}
