package io.tunecho.hosts;

/**
 * Replies that arrive late ({@code late}): with probability {@code p} a reply is held {@code by} longer than its
 * delay, its sequence intact, so that it comes after a prober's time-out. Immutable.
 *
 * @param p       the probability that a reply is late, 0..1
 * @param byNanos how much longer a late reply is held, more than 0
 */
public record LateReplies(double p, long byNanos) {
    /** No reply is late. */
    public static final LateReplies NONE = new LateReplies(0, 0);

    public LateReplies {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability is 0..1 (0%..100%), not " + p);
        }
        if (byNanos < 0 || p > 0 && byNanos == 0) {
            throw new IllegalArgumentException("by must be longer than 0");
        }
    }

    public boolean isNone() {
        return p == 0;
    }

    /** As the config file writes it: {@code {p: 10%, by: 3s}}. */
    @Override
    public String toString() {
        return "{p: " + LossModel.percent(p) + ", by: " + Durations.format(byNanos) + "}";
    }
}
