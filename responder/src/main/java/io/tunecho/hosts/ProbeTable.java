package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Who probes which answered address, how often: for every probed address, the probes by protocol (count, first and
 * last time, last, mean and longest interval) and the last few sources. The channels record, the HTTP and control
 * threads read; times are the {@link Clock#currentTimeMillis()} of the hosts' clock.
 *
 * <p>Bounded: at most {@code maxAddresses} addresses are kept; past that, a new address takes the place of the least
 * recently probed one, which is forgotten (and counted). The table is split into a few stripes by address hash, each
 * a lock around arrays of primitives: an open-addressing index, the records, and a list from the most to the least
 * recently probed. A stripe starts small and doubles up to its share of the bound, so an idle tunecho holds little;
 * once grown, {@link #recordIpv4} and {@link #recordIpv6} allocate nothing (a new address reuses the slot of the
 * address it evicts). With several stripes, the address evicted is the least recently probed of its stripe.
 */
public final class ProbeTable {
    /** What counts as a probe: {@code name().toLowerCase()} names it in JSON. */
    public enum Protocol { ICMP_ECHO, TCP_SYN, UDP }

    public static final int DEFAULT_MAX_ADDRESSES = 100_000;
    /** How many of an address's most recent sources are kept. */
    static final int SOURCES = 4;
    private static final Protocol[] PROTOCOLS = Protocol.values();
    /** A stripe per this many addresses of the bound, up to {@link #MAX_STRIPES}. */
    private static final int ADDRESSES_PER_STRIPE = 4096;
    private static final int MAX_STRIPES = 16;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int maxAddresses;
    private final Clock clock;
    private final Stripe[] stripes;
    private final int stripeShift;

    /** @throws IllegalArgumentException if {@code maxAddresses} is less than 1 */
    public ProbeTable(int maxAddresses, Clock clock) {
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("a probe table keeps at least 1 address, not " + maxAddresses);
        }
        this.maxAddresses = maxAddresses;
        this.clock = clock;
        int n = Integer.highestOneBit(Math.max(1, Math.min(MAX_STRIPES, maxAddresses / ADDRESSES_PER_STRIPE)));
        stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe(maxAddresses / n + (i < maxAddresses % n ? 1 : 0));
        }
        stripeShift = 32 - Integer.numberOfTrailingZeros(n);
    }

    /** The clock the times of this table come from. */
    public Clock clock() {
        return clock;
    }

    /**
     * A probe of {@code protocol} from {@code source} to {@code destination} (IPv4) at {@code nowMillis}, this
     * table's clock as the caller read it. Allocates nothing once the table has grown.
     */
    public void recordIpv4(Protocol protocol, int destination, int source, long nowMillis) {
        record(protocol, false, 0, destination & 0xFFFFFFFFL, 0, source & 0xFFFFFFFFL, nowMillis, 1);
    }

    /** A probe of {@code protocol} from {@code srcHi:srcLo} to {@code dstHi:dstLo} (IPv6) at {@code nowMillis}. */
    public void recordIpv6(Protocol protocol, long dstHi, long dstLo, long srcHi, long srcLo, long nowMillis) {
        record(protocol, true, dstHi, dstLo, srcHi, srcLo, nowMillis, 1);
    }

    /** {@code probes} probes of one protocol from one source to one address at one moment. */
    private void record(Protocol protocol, boolean v6, long dstHi, long dstLo, long srcHi, long srcLo, long nowMillis,
            int probes) {
        int h = hash(v6, dstHi, dstLo);
        stripe(h).record(v6, dstHi, dstLo, h, protocol, srcHi, srcLo, nowMillis, probes);
    }

    /** A {@link Recorder} of this table, for one event loop. */
    public Recorder recorder() {
        return new Recorder();
    }

    /**
     * One event loop's way to record, a lock per run of equal probes rather than per probe: probes of one protocol
     * from one source to one address within one millisecond are counted here and recorded together when a
     * different one comes or at {@link #flush()} (the end of each read burst). The table gets exactly what recording
     * them one by one would give it, since the intervals between them are 0 ms. Not thread-safe; allocates nothing.
     */
    public final class Recorder {
        private int count;
        private Protocol protocol;
        private boolean v6;
        private long dstHi;
        private long dstLo;
        private long srcHi;
        private long srcLo;
        private long millis;

        private Recorder() {
        }

        /** As {@link ProbeTable#recordIpv4}, recorded by the next {@link #flush()} at the latest. */
        public void recordIpv4(Protocol protocol, int destination, int source, long nowMillis) {
            add(protocol, false, 0, destination & 0xFFFFFFFFL, 0, source & 0xFFFFFFFFL, nowMillis);
        }

        /** As {@link ProbeTable#recordIpv6}, recorded by the next {@link #flush()} at the latest. */
        public void recordIpv6(Protocol protocol, long dstHi, long dstLo, long srcHi, long srcLo, long nowMillis) {
            add(protocol, true, dstHi, dstLo, srcHi, srcLo, nowMillis);
        }

        private void add(Protocol p, boolean isV6, long dh, long dl, long sh, long sl, long now) {
            if (count > 0 && dl == dstLo && sl == srcLo && now == millis && p == protocol && dh == dstHi
                    && sh == srcHi && isV6 == v6) {
                count++;
                return;
            }
            flush();
            protocol = p;
            v6 = isV6;
            dstHi = dh;
            dstLo = dl;
            srcHi = sh;
            srcLo = sl;
            millis = now;
            count = 1;
        }

        /** Records what is counted here. */
        public void flush() {
            if (count > 0) {
                record(protocol, v6, dstHi, dstLo, srcHi, srcLo, millis, count);
                count = 0;
            }
        }
    }

    /** A copy of what is known about the address (its prefix length ignored), or {@code null} when never probed. */
    public ProbeRecord get(IpCidr address) {
        boolean v6 = address.isIpv6();
        int h = hash(v6, address.high(), address.low());
        return stripe(h).get(v6, address.high(), address.low(), h);
    }

    /** One page of the addresses within a prefix: how many there are, and copies of the records of the page. */
    public record Page(int matched, List<ProbeRecord> records) {
    }

    /**
     * The records of the addresses within {@code prefix} ({@code null}: all), ordered by address, from
     * {@code offset}, at most {@code limit}: only the addresses are gathered and sorted, and only the page's records
     * copied, so that a full table is paged through in little memory.
     */
    public Page page(IpCidr prefix, int offset, int limit) {
        Addresses found = new Addresses();
        for (Stripe s : stripes) {
            s.addressesWithin(prefix, found);
        }
        Integer[] order = new Integer[found.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, found::compare);
        List<ProbeRecord> out = new ArrayList<>(Math.max(0, Math.min(limit, order.length - offset)));
        for (int i = offset; i < order.length && out.size() < limit; i++) {
            int k = order[i];
            ProbeRecord r = get(address(found.v6[k], found.hi[k], found.lo[k]));
            if (r != null) { // forgotten since it was found
                out.add(r);
            }
        }
        return new Page(order.length, out);
    }

    /** Addresses gathered for {@link #page}: a flag and two longs each, ordered IPv4 first, then by value. */
    private static final class Addresses {
        boolean[] v6 = new boolean[64];
        long[] hi = new long[64];
        long[] lo = new long[64];
        int size;

        void add(boolean ipv6, long h, long l) {
            if (size == lo.length) {
                v6 = Arrays.copyOf(v6, size * 2);
                hi = Arrays.copyOf(hi, size * 2);
                lo = Arrays.copyOf(lo, size * 2);
            }
            v6[size] = ipv6;
            hi[size] = h;
            lo[size] = l;
            size++;
        }

        int compare(int a, int b) {
            if (v6[a] != v6[b]) {
                return v6[a] ? 1 : -1;
            }
            int c = Long.compareUnsigned(hi[a], hi[b]);
            return c != 0 ? c : Long.compareUnsigned(lo[a], lo[b]);
        }
    }

    /**
     * Calls {@code visitor} for every tracked address, under the lock of its stripe (so the visitor must be quick and
     * must not call this table): for figures computed over the whole table without copying it, such as metrics.
     */
    public void forEach(Visitor visitor) {
        for (Stripe s : stripes) {
            s.forEach(visitor);
        }
    }

    /** What {@link #forEach} shows of each address. */
    @FunctionalInterface
    public interface Visitor {
        /** An address ({@code hi} is 0 and {@code lo} the unsigned address for IPv4) with its probes and last one. */
        void visit(boolean ipv6, long hi, long lo, long probes, long lastMillis);
    }

    /** Addresses tracked now. */
    public int size() {
        int n = 0;
        for (Stripe s : stripes) {
            n += s.size();
        }
        return n;
    }

    /** Addresses evicted because the table was full. */
    public long forgotten() {
        long n = 0;
        for (Stripe s : stripes) {
            n += s.forgotten();
        }
        return n;
    }

    public int maxAddresses() {
        return maxAddresses;
    }

    private Stripe stripe(int hash) {
        return stripes.length == 1 ? stripes[0] : stripes[hash >>> stripeShift];
    }

    /** A well-mixed hash of an address: its high bits pick the stripe, its low bits the index slot. */
    static int hash(boolean v6, long hi, long lo) {
        long h = (hi * GOLDEN + lo) * GOLDEN + (v6 ? 1 : 0);
        h *= GOLDEN;
        return (int) (h >>> 32);
    }


    private static IpCidr address(boolean v6, long hi, long lo) {
        return v6 ? IpCidr.ipv6(hi, lo, 128) : IpCidr.ipv4((int) lo, 32);
    }

    /**
     * One stripe: records in slots {@code 0..size-1}, found through an open-addressing index (linear probing,
     * entries are slot + 1, 0 is empty), linked from the most recently probed ({@code head}) to the least
     * ({@code tail}).
     */
    private static final class Stripe {
        private static final int INITIAL = 16;
        /** Per slot and protocol: probes, first, last, last interval, sum of intervals, longest interval. */
        private static final int COUNT = 0;
        private static final int FIRST = 1;
        private static final int LAST = 2;
        private static final int LAST_INTERVAL = 3;
        private static final int SUM_INTERVALS = 4;
        private static final int MAX_INTERVAL = 5;
        private static final int FIELDS = 6;
        private static final int SERIES = FIELDS * PROTOCOLS.length;

        private final int cap;
        private int capacity;
        private int size;
        private long forgotten;
        private int[] index = new int[0];
        private boolean[] v6 = new boolean[0];
        private long[] hi = new long[0];
        private long[] lo = new long[0];
        private int[] newer = new int[0];
        private int[] older = new int[0];
        private int head = -1;
        private int tail = -1;
        private long[] probes = new long[0];
        private long[] first = new long[0];
        private long[] last = new long[0];
        private long[] series = new long[0];
        private byte[] sourceCount = new byte[0];
        private long[] sourceHi = new long[0];
        private long[] sourceLo = new long[0];

        Stripe(int cap) {
            this.cap = cap;
        }

        /** {@code n} probes at {@code now}: what {@code n} records of one would give (0 ms between them). */
        synchronized void record(boolean isV6, long h64, long l64, int hash, Protocol protocol, long srcHi,
                long srcLo, long now, int n) {
            int slot = find(isV6, h64, l64, hash);
            if (slot < 0) {
                slot = claim();
                v6[slot] = isV6;
                hi[slot] = h64;
                lo[slot] = l64;
                probes[slot] = 0;
                first[slot] = now;
                sourceCount[slot] = 0;
                Arrays.fill(series, slot * SERIES, (slot + 1) * SERIES, 0);
                insert(slot, hash);
                pushHead(slot);
            } else if (slot != head) {
                unlink(slot);
                pushHead(slot);
            }
            probes[slot] += n;
            last[slot] = now;
            int b = slot * SERIES + protocol.ordinal() * FIELDS;
            if (series[b + COUNT] == 0) {
                series[b + FIRST] = now; // and the n - 1 intervals after it are 0, as LAST_INTERVAL already is
            } else {
                long interval = Math.max(0, now - series[b + LAST]);
                series[b + LAST_INTERVAL] = n > 1 ? 0 : interval;
                series[b + SUM_INTERVALS] += interval;
                series[b + MAX_INTERVAL] = Math.max(series[b + MAX_INTERVAL], interval);
            }
            series[b + COUNT] += n;
            series[b + LAST] = now;
            addSource(slot, srcHi, srcLo);
        }

        /** A slot for a new address: a free one, one made by growing, or the least recently probed one's. */
        private int claim() {
            if (size == capacity && capacity < cap) {
                grow();
            }
            if (size < capacity) {
                return size++;
            }
            int victim = tail;
            unlink(victim);
            remove(victim);
            forgotten++;
            return victim;
        }

        /** Moves the source to the front of the slot's sources (most recent first), keeping {@link #SOURCES}. */
        private void addSource(int slot, long srcHi, long srcLo) {
            int base = slot * SOURCES;
            int n = sourceCount[slot];
            int at = n == SOURCES ? SOURCES - 1 : n;
            for (int i = 0; i < n; i++) {
                if (sourceHi[base + i] == srcHi && sourceLo[base + i] == srcLo) {
                    at = i;
                    break;
                }
            }
            if (at == n) {
                sourceCount[slot] = (byte) (n + 1);
            }
            for (int i = at; i > 0; i--) {
                sourceHi[base + i] = sourceHi[base + i - 1];
                sourceLo[base + i] = sourceLo[base + i - 1];
            }
            sourceHi[base] = srcHi;
            sourceLo[base] = srcLo;
        }

        private int find(boolean isV6, long h64, long l64, int hash) {
            if (size == 0) {
                return -1;
            }
            int m = index.length - 1;
            for (int i = hash & m; ; i = (i + 1) & m) {
                int s = index[i] - 1;
                if (s < 0) {
                    return -1;
                }
                if (lo[s] == l64 && hi[s] == h64 && v6[s] == isV6) {
                    return s;
                }
            }
        }

        private void insert(int slot, int hash) {
            int m = index.length - 1;
            int i = hash & m;
            while (index[i] != 0) {
                i = (i + 1) & m;
            }
            index[i] = slot + 1;
        }

        /** Removes the slot from the index, shifting back the entries after it that would no longer be found. */
        private void remove(int slot) {
            int m = index.length - 1;
            int i = hash(v6[slot], hi[slot], lo[slot]) & m;
            while (index[i] != slot + 1) {
                i = (i + 1) & m;
            }
            int hole = i;
            for (int j = (hole + 1) & m; index[j] != 0; j = (j + 1) & m) {
                int s = index[j] - 1;
                int home = hash(v6[s], hi[s], lo[s]) & m;
                // the entry at j may fill the hole when its home is not within (hole, j], cyclically
                if (((j - home) & m) >= ((j - hole) & m)) {
                    index[hole] = index[j];
                    hole = j;
                }
            }
            index[hole] = 0;
        }

        private void pushHead(int slot) {
            older[slot] = head;
            newer[slot] = -1;
            if (head >= 0) {
                newer[head] = slot;
            }
            head = slot;
            if (tail < 0) {
                tail = slot;
            }
        }

        private void unlink(int slot) {
            int n = newer[slot];
            int o = older[slot];
            if (n >= 0) {
                older[n] = o;
            } else {
                head = o;
            }
            if (o >= 0) {
                newer[o] = n;
            } else {
                tail = n;
            }
        }

        /** Doubles the slots (up to the stripe's share of the bound) and rebuilds the index at twice their number. */
        private void grow() {
            int n = capacity == 0 ? Math.min(cap, INITIAL) : (int) Math.min(cap, 2L * capacity);
            v6 = Arrays.copyOf(v6, n);
            hi = Arrays.copyOf(hi, n);
            lo = Arrays.copyOf(lo, n);
            newer = Arrays.copyOf(newer, n);
            older = Arrays.copyOf(older, n);
            probes = Arrays.copyOf(probes, n);
            first = Arrays.copyOf(first, n);
            last = Arrays.copyOf(last, n);
            series = Arrays.copyOf(series, n * SERIES);
            sourceCount = Arrays.copyOf(sourceCount, n);
            sourceHi = Arrays.copyOf(sourceHi, n * SOURCES);
            sourceLo = Arrays.copyOf(sourceLo, n * SOURCES);
            capacity = n;
            index = new int[Integer.highestOneBit(Math.max(1, 2 * n - 1)) << 1];
            for (int s = 0; s < size; s++) {
                insert(s, hash(v6[s], hi[s], lo[s]));
            }
        }

        synchronized ProbeRecord get(boolean isV6, long h64, long l64, int hash) {
            int slot = find(isV6, h64, l64, hash);
            return slot < 0 ? null : copy(slot);
        }

        synchronized void addressesWithin(IpCidr prefix, Addresses out) {
            for (int s = 0; s < size; s++) {
                if (prefix == null || (v6[s] ? prefix.containsIpv6(hi[s], lo[s]) : prefix.containsIpv4((int) lo[s]))) {
                    out.add(v6[s], hi[s], lo[s]);
                }
            }
        }

        synchronized void forEach(Visitor visitor) {
            for (int s = 0; s < size; s++) {
                visitor.visit(v6[s], hi[s], lo[s], probes[s], last[s]);
            }
        }

        synchronized int size() {
            return size;
        }

        synchronized long forgotten() {
            return forgotten;
        }

        private ProbeRecord copy(int slot) {
            List<IpCidr> sources = new ArrayList<>(sourceCount[slot]);
            for (int i = 0; i < sourceCount[slot]; i++) {
                sources.add(address(v6[slot], sourceHi[slot * SOURCES + i], sourceLo[slot * SOURCES + i]));
            }
            Map<Protocol, ProbeRecord.Series> byProtocol = new EnumMap<>(Protocol.class);
            for (Protocol p : PROTOCOLS) {
                int b = slot * SERIES + p.ordinal() * FIELDS;
                long n = series[b + COUNT];
                if (n > 0) {
                    byProtocol.put(p, new ProbeRecord.Series(n, series[b + FIRST], series[b + LAST],
                            series[b + LAST_INTERVAL], n > 1 ? series[b + SUM_INTERVALS] / (n - 1) : 0,
                            series[b + MAX_INTERVAL]));
                }
            }
            return new ProbeRecord(address(v6[slot], hi[slot], lo[slot]), probes[slot], first[slot], last[slot],
                    List.copyOf(sources), Collections.unmodifiableMap(byProtocol));
        }
    }
}
