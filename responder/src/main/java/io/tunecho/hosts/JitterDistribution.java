package io.tunecho.hosts;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How delays spread around their mean: each returns an offset with mean 0 whose spread is the jitter, so that a
 * profile's {@code delay} stays its mean delay (as far as the clamp at zero allows).
 */
public enum JitterDistribution {
    /** Uniform on {@code [-jitter, +jitter]}. */
    UNIFORM {
        @Override
        public double sample(RandomGenerator random) {
            return 2 * random.nextDouble() - 1;
        }
    },
    /** Normal with standard deviation {@code jitter} (netem's default). */
    NORMAL {
        @Override
        public double sample(RandomGenerator random) {
            return random.nextGaussian();
        }
    },
    /**
     * Pareto with shape 3: mostly a little below the mean, now and then far above it (a heavy right tail, as paths
     * under cross traffic show), shifted to mean 0 and scaled to standard deviation {@code jitter}.
     */
    PARETO {
        private static final double SHAPE = 3;
        private static final double SCALE = 2 / Math.sqrt(3);         // sd of Pareto(SHAPE, SCALE) is 1
        private static final double MEAN = SHAPE * SCALE / (SHAPE - 1);

        @Override
        public double sample(RandomGenerator random) {
            double u = 1 - random.nextDouble(); // (0, 1]
            return SCALE / Math.pow(u, 1 / SHAPE) - MEAN;
        }
    };

    /** An offset in units of the jitter: mean 0, standard deviation about 1 ({@link #UNIFORM}: range ±1). */
    public abstract double sample(RandomGenerator random);

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
