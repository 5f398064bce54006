package io.tunecho.ip;

/**
 * The datagrams in reassembly by {@link FragmentKey}: open addressing with linear probing in an array sized once for
 * the cap (at most half full), so that neither a lookup, an insertion nor a removal allocates. Removal shifts the
 * entries after it back, so that no probe sequence is broken. Not thread-safe: used on the channel's event loop
 * only.
 */
final class DatagramTable {
    private final FragmentQueue[] slots;
    private final int mask;
    private int size;

    /** @param capacity the most datagrams held at once */
    DatagramTable(int capacity) {
        int slotCount = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        slots = new FragmentQueue[slotCount];
        mask = slotCount - 1;
    }

    int size() {
        return size;
    }

    FragmentQueue get(FragmentKey key) {
        for (int i = home(key); ; i = (i + 1) & mask) {
            FragmentQueue q = slots[i];
            if (q == null || q.key.equals(key)) {
                return q;
            }
        }
    }

    /** Adds a datagram whose key is not in the table; only while {@code size() <} the capacity. */
    void put(FragmentQueue q) {
        int i = home(q.key);
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = q;
        size++;
    }

    /** Removes a datagram; returns whether it was there. */
    boolean remove(FragmentQueue q) {
        int i = home(q.key);
        while (slots[i] != q) {
            if (slots[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = null;
        size--;
        // Move back what would no longer be found: an entry whose home is not cyclically within (i, j].
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int h = home(slots[j].key);
            boolean reachable = i <= j ? i < h && h <= j : i < h || h <= j;
            if (!reachable) {
                slots[i] = slots[j];
                slots[j] = null;
                i = j;
            }
        }
        return true;
    }

    /** Empties the table, handing each datagram to {@code action} first. */
    void clear(java.util.function.Consumer<FragmentQueue> action) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                action.accept(slots[i]);
                slots[i] = null;
            }
        }
        size = 0;
    }

    private int home(FragmentKey key) {
        int h = key.hashCode();
        return (h ^ h >>> 16) & mask;
    }
}
