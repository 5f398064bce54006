package io.tunecho.hosts;

/**
 * How often a reply is sent more than once ({@code duplicate}): with probability {@code p}, the reply leaves
 * {@code count} times in all (2: one extra copy, the plain probability form). Immutable.
 *
 * @param p     the probability that a reply is repeated, 0..1
 * @param count how many times a repeated reply is sent in all, at least 2
 */
public record Duplicates(double p, int count) {
    /** The most copies of one reply (a bound on what one request can make the delay queue hold). */
    public static final int MAX_COUNT = 100;
    /** No reply is repeated. */
    public static final Duplicates NONE = new Duplicates(0, 2);

    public Duplicates {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability is 0..1 (0%..100%), not " + p);
        }
        if (count < 2 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count is how many times the reply is sent in all: 2.."
                    + MAX_COUNT + ", not " + count);
        }
    }

    /** The plain probability form: one extra copy. */
    public static Duplicates of(double p) {
        return p == 0 ? NONE : new Duplicates(p, 2);
    }

    /** As the config file writes it: {@code 1%}, or {@code {p: 1%, count: 3}}. */
    @Override
    public String toString() {
        return count == 2 ? LossModel.percent(p) : "{p: " + LossModel.percent(p) + ", count: " + count + "}";
    }
}
