package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss models over many decisions of a seeded generator: their rates and run lengths, within sampling bounds. */
class LossModelTest {
    private static final int N = 200_000;

    @Test
    void independentLossLosesItsShare() {
        LossModel m = LossModel.independent(0.2);
        SplittableRandom r = new SplittableRandom(42);
        int lost = 0;
        for (int i = 0; i < N; i++) {
            lost += m.decide(false, r) & 1;
        }
        double sd = Math.sqrt(N * 0.2 * 0.8);
        assertEquals(N * 0.2, lost, 5 * sd);
    }

    @Test
    void burstsHaveTheirMeanLengthAndLongRunLoss() {
        LossModel m = LossModel.bursts(0.02, 0.4);
        SplittableRandom r = new SplittableRandom(7);
        boolean burst = false;
        int lost = 0;
        int runs = 0;
        int run = 0;
        long runTotal = 0;
        for (int i = 0; i < N; i++) {
            int d = m.decide(burst, r);
            burst = (d & 2) != 0;
            if ((d & 1) != 0) {
                lost++;
                run++;
            } else if (run > 0) {
                runs++;
                runTotal += run;
                run = 0;
            }
        }
        assertEquals(0.02 / 0.42, (double) lost / N, 0.005, "long-run loss p/(p+r)");
        assertEquals(1 / 0.4, (double) runTotal / runs, 0.15, "mean burst length 1/r");
        assertEquals(0.02 / 0.42, m.meanLoss(), 1e-12);
    }

    @Test
    void theSameSeedGivesTheSameDecisions() {
        LossModel m = LossModel.independent(0.5);
        SplittableRandom a = new SplittableRandom(99);
        SplittableRandom b = new SplittableRandom(99);
        for (int i = 0; i < 1000; i++) {
            assertEquals(m.decide(false, a), m.decide(false, b));
        }
    }

    @Test
    void noLossLosesNothing() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, LossModel.NONE.decide(false, r));
        }
        assertTrue(LossModel.independent(0).isNone());
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LossModel.independent(1.5));
        assertThrows(IllegalArgumentException.class, () -> LossModel.bursts(0.1, 0));
        assertEquals("20%", LossModel.independent(0.2).toString());
        assertEquals("{p: 2%, r: 40%}", LossModel.bursts(0.02, 0.4).toString());
    }
}
