package io.tunecho.hosts;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How delays spread around their mean: each returns an offset with mean 0 whose spread is the jitter, so that a
 * profile's {@code delay} stays its mean delay (as far as the clamp at zero allows). {@link #LOGNORMAL} is the
 * exception: its {@code delay} is the median and its spread is set by the 99th percentile ({@code p99}), not the
 * jitter.
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
    },
    /**
     * Lognormal: the delay is the median, and {@link #sigma} of the 99th percentile sets the spread of its
     * logarithm (a long right tail that never goes below zero, as measured round-trip times look). {@link #sample}
     * is the standard normal of the logarithm.
     */
    LOGNORMAL {
        @Override
        public double sample(RandomGenerator random) {
            return random.nextGaussian();
        }

        @Override
        public long delayNanos(long delay, double spread, RandomGenerator random) {
            return (long) (delay * Math.exp(spread * sample(random)));
        }
    };

    /** The standard normal's 99th percentile: {@code ln(p99 / median) / Z99} is a lognormal's sigma. */
    static final double Z99 = 2.3263478740408408;

    /** An offset in units of the jitter: mean 0, standard deviation about 1 ({@link #UNIFORM}: range ±1). */
    public abstract double sample(RandomGenerator random);

    /**
     * One delay in nanoseconds, never below zero: {@code delay} plus {@code spread} (the jitter) times a
     * {@link #sample}; for {@link #LOGNORMAL}, {@code delay} (the median) times {@code e} to the power of
     * {@code spread} (the {@link #sigma}) times a standard normal.
     */
    public long delayNanos(long delay, double spread, RandomGenerator random) {
        return Math.max(0, delay + (long) (spread * sample(random)));
    }

    /** The sigma of a lognormal's logarithm with this median and 99th percentile ({@code p99 > median > 0}). */
    public static double sigma(long median, long p99) {
        return Math.log((double) p99 / median) / Z99;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
