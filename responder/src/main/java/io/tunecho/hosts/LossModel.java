package io.tunecho.hosts;

import java.util.random.RandomGenerator;

/**
 * Which requests a host loses: independently with a probability, or in bursts (the Gilbert model, the simple form
 * of Gilbert-Elliott: a good state that loses nothing and a bad state that loses everything; each packet first moves
 * the state, good to bad with probability {@code p}, bad to good with {@code r}). Bursts then last {@code 1/r}
 * packets on average, and the long-run loss is {@code p / (p + r)}, so that alert rules such as "N consecutive
 * failures" can be tested.
 */
public final class LossModel {
    public static final LossModel NONE = new LossModel(0, 0, false);

    private final double p;
    private final double r;
    private final boolean bursty;

    private LossModel(double p, double r, boolean bursty) {
        this.p = p;
        this.r = r;
        this.bursty = bursty;
    }

    /** Each request is lost with probability {@code p}. */
    public static LossModel independent(double p) {
        checkProbability(p);
        return p == 0 ? NONE : new LossModel(p, 0, false);
    }

    /** Loss in bursts: enter a burst with {@code p}, leave it with {@code r} (both per packet). */
    public static LossModel bursts(double p, double r) {
        checkProbability(p);
        checkProbability(r);
        if (r == 0 && p > 0) {
            throw new IllegalArgumentException("a burst that is never left (r = 0) loses everything after it starts");
        }
        return new LossModel(p, r, true);
    }

    private static void checkProbability(double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("a probability is 0..1 (0%..100%), not " + v);
        }
    }

    public boolean isNone() {
        return p == 0 && !bursty;
    }

    public boolean isBursty() {
        return bursty;
    }

    public double p() {
        return p;
    }

    public double r() {
        return r;
    }

    /** The long-run share of requests lost. */
    public double meanLoss() {
        return bursty ? (p + r == 0 ? 0 : p / (p + r)) : p;
    }

    /**
     * Decides one request.
     *
     * @param inBurst the burst state before this packet (ignored for independent loss)
     * @return bit 0: lost; bit 1: in a burst after this packet
     */
    public int decide(boolean inBurst, RandomGenerator random) {
        if (!bursty) {
            return p > 0 && random.nextDouble() < p ? 1 : 0;
        }
        boolean bad = inBurst ? random.nextDouble() >= r : random.nextDouble() < p;
        return bad ? 3 : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossModel && ((LossModel) o).p == p && ((LossModel) o).r == r
                && ((LossModel) o).bursty == bursty;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(p) * 31 + Double.hashCode(r) + (bursty ? 1 : 0);
    }

    @Override
    public String toString() {
        return bursty ? "{p: " + percent(p) + ", r: " + percent(r) + "}" : percent(p);
    }

    static String percent(double v) {
        double pct = v * 100;
        return (pct == Math.rint(pct) ? Long.toString((long) pct) : Double.toString(pct)) + "%";
    }
}
