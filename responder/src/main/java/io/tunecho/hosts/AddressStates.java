package io.tunecho.hosts;

/**
 * What one channel remembers about the addresses it answers for: whether each is in a loss burst, its rate limit's
 * token bucket and its position in a replayed trace. Kept per channel (one event loop, so without locks or
 * contention) in a {@link SlotTable} of {@value #CAPACITY} slots, with a column of primitives per value: nothing is
 * allocated per packet, and memory does not grow with the number of addresses a {@code /16} entry covers. When the
 * table is full, the least recently used of the few slots an address may take is given to it (its state starts
 * afresh): that takes more addresses in active use than a lab probes. The columns are made when the first address
 * claims a slot, so that a channel that never needs them (no bursts, no rate limits, no ICMP errors) does not pay
 * for them.
 */
public final class AddressStates {
    static final int CAPACITY = 1 << 14;
    private static final int PROBES = 8;

    private final SlotTable table = new SlotTable(CAPACITY, PROBES);
    private boolean[] inBurst;
    private double[] tokens;
    private long[] refilled;
    private int[] positions;

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
        int slot = table.slot(key);
        if (inBurst == null) {
            allocate();
        }
        if (table.claimed()) {
            inBurst[slot] = false;
            tokens[slot] = Double.NaN; // a full bucket, filled on first use
            refilled[slot] = 0;
            positions[slot] = 0;
        }
        return slot;
    }

    private void allocate() {
        inBurst = new boolean[CAPACITY];
        tokens = new double[CAPACITY];
        refilled = new long[CAPACITY];
        positions = new int[CAPACITY];
    }

    public boolean inBurst(int slot) {
        return inBurst[slot];
    }

    public void setInBurst(int slot, boolean burst) {
        inBurst[slot] = burst;
    }

    /**
     * Takes one token from the address's bucket: {@code rate} tokens a second, at most one second's worth (and at
     * least one) saved up ({@link TokenBucket#oneSecondOf}).
     *
     * @return whether there was a token (the reply may go out)
     */
    public boolean takeToken(int slot, double rate, long now) {
        return takeToken(slot, rate, TokenBucket.oneSecondOf(rate), now);
    }

    /**
     * Takes one token from the address's bucket, which fills at {@code rate} per second as a {@link TokenBucket}
     * does and holds at most {@code capacity}; a slot just claimed starts with a full bucket.
     */
    public boolean takeToken(int slot, double rate, double capacity, long now) {
        double t = tokens[slot];
        t = Double.isNaN(t) ? capacity : TokenBucket.refill(t, refilled[slot], now, rate, capacity);
        refilled[slot] = now;
        boolean taken = t >= 1;
        tokens[slot] = taken ? t - 1 : t;
        return taken;
    }

    /**
     * The address's position in a replayed {@link DelayTrace} of {@code length} values, moved on by one: 0 for a
     * slot just claimed, then 1, 2, ..., and after {@code length - 1} back to 0.
     */
    public int nextPosition(int slot, int length) {
        int p = positions[slot];
        positions[slot] = p + 1 >= length ? 0 : p + 1;
        return p >= length ? 0 : p;
    }
}
