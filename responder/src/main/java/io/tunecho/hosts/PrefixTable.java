package io.tunecho.hosts;

import io.tunecho.wire.IpAddresses;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A longest-prefix-match table from IPv4 and IPv6 addresses to values: the entry whose prefix is the longest of
 * those that contain an address answers it. Immutable once built; safe to read from any thread.
 *
 * <p>One open-addressing hash table per prefix length in use, keyed by the masked address; a lookup probes the
 * lengths in use from the longest down and stops at the first hit. Its cost grows with the number of distinct
 * prefix lengths (typically a handful), not with the number of entries or of addresses they cover: 10,000 entries
 * of one length cost one probe, and a {@code /16} costs what a {@code /32} does. Lookups allocate nothing.
 *
 * @param <T> what an entry holds
 */
public final class PrefixTable<T> {
    private static final int MIX32 = 0x9E3779B9;
    private static final long MIX64 = 0x9E3779B97F4A7C15L;

    private final Level4[] levels4;
    private final Level6[] levels6;
    private final List<Map.Entry<IpCidr, T>> entries;
    private final Map<IpCidr, T> exact;

    private PrefixTable(Level4[] levels4, Level6[] levels6, Map<IpCidr, T> exact) {
        this.levels4 = levels4;
        this.levels6 = levels6;
        this.exact = Collections.unmodifiableMap(new LinkedHashMap<>(exact));
        this.entries = List.copyOf(this.exact.entrySet());
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The value of the longest prefix that contains the IPv4 address, or {@code null}. */
    @SuppressWarnings("unchecked")
    public T lookupIpv4(int address) {
        for (Level4 level : levels4) {
            int key = address & level.netmask;
            int[] keys = level.keys;
            Object[] values = level.values;
            int m = keys.length - 1;
            for (int i = hash(key) & m; ; i = (i + 1) & m) {
                Object v = values[i];
                if (v == null) {
                    break;
                }
                if (keys[i] == key) {
                    return (T) v;
                }
            }
        }
        return null;
    }

    /** The value of the longest prefix that contains the IPv6 address {@code hi:lo}, or {@code null}. */
    @SuppressWarnings("unchecked")
    public T lookupIpv6(long hi, long lo) {
        for (Level6 level : levels6) {
            long kh = hi & level.highMask;
            long kl = lo & level.lowMask;
            long[] keys = level.keys;
            Object[] values = level.values;
            int m = values.length - 1;
            for (int i = hash(kh, kl) & m; ; i = (i + 1) & m) {
                Object v = values[i];
                if (v == null) {
                    break;
                }
                if (keys[2 * i] == kh && keys[2 * i + 1] == kl) {
                    return (T) v;
                }
            }
        }
        return null;
    }

    /** The value of the longest prefix that contains the address of {@code address} (its prefix length ignored). */
    public T lookup(IpCidr address) {
        return address.isIpv4() ? lookupIpv4(address.ipv4Address()) : lookupIpv6(address.high(), address.low());
    }

    /** The value stored for exactly this prefix (host bits ignored), or {@code null}. */
    public T get(IpCidr prefix) {
        return exact.get(prefix.subnet());
    }

    /** Every entry, in the order they were put (prefixes with host bits cleared). */
    public List<Map.Entry<IpCidr, T>> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    private static int hash(int key) {
        int h = key * MIX32;
        return h ^ (h >>> 16);
    }

    private static int hash(long hi, long lo) {
        long h = (hi * MIX64) ^ (lo * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    private static int capacityFor(int count) {
        int n = Integer.highestOneBit(Math.max(2, count * 2 - 1)) << 1; // load factor <= 1/2
        return Math.max(n, 4);
    }

    private static final class Level4 {
        final int netmask;
        final int[] keys;
        final Object[] values;

        Level4(int prefixLength, int count) {
            this.netmask = IpAddresses.ipv4Netmask(prefixLength);
            int capacity = capacityFor(count);
            this.keys = new int[capacity];
            this.values = new Object[capacity];
        }

        void put(int key, Object value) {
            int m = keys.length - 1;
            for (int i = hash(key) & m; ; i = (i + 1) & m) {
                if (values[i] == null || keys[i] == key) {
                    keys[i] = key;
                    values[i] = value;
                    return;
                }
            }
        }
    }

    private static final class Level6 {
        final long highMask;
        final long lowMask;
        final long[] keys;
        final Object[] values;

        Level6(int prefixLength, int count) {
            this.highMask = IpAddresses.highMask(prefixLength);
            this.lowMask = IpAddresses.lowMask(prefixLength);
            int capacity = capacityFor(count);
            this.keys = new long[2 * capacity];
            this.values = new Object[capacity];
        }

        void put(long hi, long lo, Object value) {
            int m = values.length - 1;
            for (int i = hash(hi, lo) & m; ; i = (i + 1) & m) {
                if (values[i] == null || (keys[2 * i] == hi && keys[2 * i + 1] == lo)) {
                    keys[2 * i] = hi;
                    keys[2 * i + 1] = lo;
                    values[i] = value;
                    return;
                }
            }
        }
    }

    /**
     * Collects entries; a prefix put twice keeps the later value. Not thread-safe; {@link #build()} may be called
     * once.
     */
    public static final class Builder<T> {
        private final Map<IpCidr, T> entries = new LinkedHashMap<>();

        /**
         * Maps every address of {@code prefix} (host bits ignored) to {@code value}.
         *
         * @return the value this replaced for the same prefix, or {@code null}
         */
        public T put(IpCidr prefix, T value) {
            if (value == null) {
                throw new IllegalArgumentException("a prefix table holds no null values");
            }
            return entries.put(prefix.subnet(), value);
        }

        public boolean contains(IpCidr prefix) {
            return entries.containsKey(prefix.subnet());
        }

        public int size() {
            return entries.size();
        }

        public PrefixTable<T> build() {
            TreeMap<Integer, List<Map.Entry<IpCidr, T>>> v4 = new TreeMap<>(Collections.reverseOrder());
            TreeMap<Integer, List<Map.Entry<IpCidr, T>>> v6 = new TreeMap<>(Collections.reverseOrder());
            for (Map.Entry<IpCidr, T> e : entries.entrySet()) {
                (e.getKey().isIpv4() ? v4 : v6).computeIfAbsent(e.getKey().prefixLength(), k -> new ArrayList<>())
                        .add(e);
            }
            Level4[] levels4 = new Level4[v4.size()];
            int i = 0;
            for (Map.Entry<Integer, List<Map.Entry<IpCidr, T>>> level : v4.entrySet()) {
                Level4 l = new Level4(level.getKey(), level.getValue().size());
                for (Map.Entry<IpCidr, T> e : level.getValue()) {
                    l.put(e.getKey().ipv4Address(), e.getValue());
                }
                levels4[i++] = l;
            }
            Level6[] levels6 = new Level6[v6.size()];
            i = 0;
            for (Map.Entry<Integer, List<Map.Entry<IpCidr, T>>> level : v6.entrySet()) {
                Level6 l = new Level6(level.getKey(), level.getValue().size());
                for (Map.Entry<IpCidr, T> e : level.getValue()) {
                    l.put(e.getKey().high(), e.getKey().low(), e.getValue());
                }
                levels6[i++] = l;
            }
            return new PrefixTable<>(levels4, levels6, entries);
        }
    }
}
