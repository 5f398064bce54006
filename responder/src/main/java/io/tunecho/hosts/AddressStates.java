package io.tunecho.hosts;

/**
 * What one channel remembers about the addresses it answers for: whether each is in a loss burst, and its rate
 * limit's token bucket. Kept per channel (one event loop, so without locks or contention) in a fixed-size
 * open-addressing table of primitives: nothing is allocated per packet, and memory does not grow with the number
 * of addresses a {@code /16} entry covers. When the table is full, the least recently used of the few slots an
 * address may take is given to it (its state starts afresh): with {@value #CAPACITY} slots that takes more
 * addresses in active use than a lab probes.
 */
public final class AddressStates {
    static final int CAPACITY = 1 << 14;
    private static final int PROBES = 8;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] keys = new long[CAPACITY];
    private final long[] used = new long[CAPACITY];
    private final boolean[] inBurst = new boolean[CAPACITY];
    private final double[] tokens = new double[CAPACITY];
    private final long[] refilled = new long[CAPACITY];
    private long tick;

    public AddressStates() {
        java.util.Arrays.fill(keys, EMPTY);
    }

    /** The key of an IPv4 address. */
    public static long ipv4Key(int address) {
        return address & 0xFFFFFFFFL;
    }

    /** The key of a pair of addresses (a 64-bit hash), for what is kept per pair, such as ICMP error limits. */
    public static long pairKey(long a, long b) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        return h | 1L << 61;
    }

    /** The key of an IPv6 address (a 64-bit hash: two addresses may share state, rarely). */
    public static long ipv6Key(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 31;
        return h | 1L << 62;
    }

    /** The slot that holds the address's state, claimed (and reset) if it had none. */
    public int slot(long key) {
        int m = CAPACITY - 1;
        int h = (int) (key ^ key >>> 29) * 0x9E3779B9;
        int start = (h ^ h >>> 16) & m;
        int victim = start;
        for (int i = 0; i < PROBES; i++) {
            int s = (start + i) & m;
            if (keys[s] == key) {
                used[s] = ++tick;
                return s;
            }
            if (keys[s] == EMPTY) {
                victim = s;
                break;
            }
            if (used[s] < used[victim]) {
                victim = s;
            }
        }
        keys[victim] = key;
        used[victim] = ++tick;
        inBurst[victim] = false;
        tokens[victim] = Double.NaN; // a full bucket, filled on first use
        refilled[victim] = 0;
        return victim;
    }

    public boolean inBurst(int slot) {
        return inBurst[slot];
    }

    public void setInBurst(int slot, boolean burst) {
        inBurst[slot] = burst;
    }

    /**
     * Takes one token from the address's bucket: {@code rate} tokens a second, at most one second's worth (and at
     * least one) saved up.
     *
     * @return whether there was a token (the reply may go out)
     */
    public boolean takeToken(int slot, double rate, long now) {
        return takeToken(slot, rate, Math.max(1, rate), now);
    }

    /** Takes one token from a bucket that fills at {@code rate} per second and holds at most {@code capacity}. */
    public boolean takeToken(int slot, double rate, double capacity, long now) {
        double t = tokens[slot];
        if (Double.isNaN(t)) {
            t = capacity;
        } else {
            t = Math.min(capacity, t + (now - refilled[slot]) * rate / 1e9);
        }
        refilled[slot] = now;
        if (t >= 1) {
            tokens[slot] = t - 1;
            return true;
        }
        tokens[slot] = t;
        return false;
    }
}
