package io.tunecho.hosts;

/**
 * A token bucket: it fills at {@code perSecond} tokens a second up to its capacity, and each thing it lets through
 * takes one token. The refill rule ({@link #refill}) and the usual capacity ({@link #oneSecondOf}) are defined here
 * once, for this class and for the per-address buckets that {@link AddressStates} keeps in arrays. Not thread-safe:
 * one bucket belongs to one channel's event loop. Times are {@link Clock#nanoTime()}s; nothing is allocated.
 */
public final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long refilled;

    /** A full bucket at {@code now}. */
    public TokenBucket(double perSecond, double capacity, long now) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.refilled = now;
    }

    /** The capacity of a bucket that saves up at most one second's worth of tokens, and at least one token. */
    public static double oneSecondOf(double perSecond) {
        return Math.max(1, perSecond);
    }

    /** The tokens a bucket holds at {@code now}, that held {@code tokens} at {@code refilled}. */
    public static double refill(double tokens, long refilled, long now, double perSecond, double capacity) {
        return Math.min(capacity, tokens + (now - refilled) * perSecond / 1e9);
    }

    /**
     * Fills the bucket up to {@code now} and tells whether it holds a token, without taking it: for a limit that
     * takes its token only once the other limits on the same thing have let it through ({@link #take}).
     */
    public boolean hasToken(long now) {
        tokens = refill(tokens, refilled, now, perSecond, capacity);
        refilled = now;
        return tokens >= 1;
    }

    /** Takes the token that {@link #hasToken} found. */
    public void take() {
        tokens -= 1;
    }

    /** Takes a token if the bucket holds one at {@code now}; returns whether it did. */
    public boolean tryTake(long now) {
        if (!hasToken(now)) {
            return false;
        }
        take();
        return true;
    }
}
