package io.tunecho.hosts;

/**
 * A fixed-capacity table of {@code long} keys that hands out slots: the one mechanism behind the per-channel state
 * tables (addresses, flows, echo identifiers). A key may take one of a few consecutive slots (linear probing from its
 * hash); when they are all taken, the least recently used of them is given to it, so the table never grows and
 * never fails. Callers keep their values in primitive arrays of their own, {@link #capacity()} long, indexed by the
 * slot, and reset their columns for a slot when {@link #claimed()} says it was just claimed.
 *
 * <p>Any {@code long} is a key, 0 included: a slot is empty until first used (its use tick is 0), so no key value
 * is reserved. The arrays are made on the first {@link #slot} call, so that a channel that never needs the table
 * does not pay for it. One instance per channel (one event loop): no locks, and nothing allocated per call.
 */
public final class SlotTable {
    private final int capacity;
    private final int probes;
    private final int shift;
    private long[] keys;
    /** When each slot was last used ({@link #tick}); 0 for a slot never used. */
    private long[] used;
    private long tick;
    private boolean claimed;

    /**
     * @param capacity the number of slots, a power of two
     * @param probes how many consecutive slots a key may take, between 1 and {@code capacity}
     */
    public SlotTable(int capacity, int probes) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two of at least 2: " + capacity);
        }
        if (probes < 1 || probes > capacity) {
            throw new IllegalArgumentException("probes must be between 1 and " + capacity + ": " + probes);
        }
        this.capacity = capacity;
        this.probes = probes;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /**
     * The slot that holds {@code key}: the one it already has, else a fresh one claimed for it (an empty slot among
     * its probes, or the least recently used of them, whose previous key is forgotten). Marks the slot used.
     */
    public int slot(long key) {
        long[] k = keys;
        long[] u = used;
        if (k == null) {
            k = keys = new long[capacity];
            u = used = new long[capacity];
        }
        int mask = capacity - 1;
        int start = home(key);
        int victim = start;
        for (int i = 0; i < probes; i++) {
            int s = (start + i) & mask;
            if (u[s] == 0) {
                victim = s;
                break;
            }
            if (k[s] == key) {
                u[s] = ++tick;
                claimed = false;
                return s;
            }
            if (u[s] < u[victim]) {
                victim = s;
            }
        }
        k[victim] = key;
        u[victim] = ++tick;
        claimed = true;
        return victim;
    }

    /** Whether the last {@link #slot} call claimed a fresh slot: its caller resets its columns for it. */
    public boolean claimed() {
        return claimed;
    }

    /** The number of slots: the length of each caller's column. */
    public int capacity() {
        return capacity;
    }

    /** Whether the table has been made (by the first {@link #slot} call). */
    public boolean isAllocated() {
        return keys != null;
    }

    /** The first slot {@code key} may take: the top bits of a Fibonacci hash, which spreads near keys apart. */
    private int home(long key) {
        return (int) ((key ^ key >>> 32) * 0x9E3779B97F4A7C15L >>> shift);
    }
}
