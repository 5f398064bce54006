package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Arrays;

/**
 * One datagram in reassembly: its fragments, kept in their own buffers and sorted by offset, none overlapping
 * another; what is known of its end; and, once its first fragment came, where that fragment's header is. The
 * {@link Reassembler} keeps one per datagram, in a chain of its IP version ordered by arrival (and so by deadline).
 *
 * <p>What is accepted follows Linux ({@code inet_frag_queue_insert}, {@code ip_frag_queue}): a fragment whose data
 * all arrived already is a duplicate, harmless; one that overlaps only part of what arrived, or that disagrees with
 * the datagram's known end, spoils the whole datagram.
 *
 * <p>Buffers: the queue owns the buffers of the fragments it {@linkplain #add added} until {@link #assemble} or
 * {@link #releaseAll}. Not thread-safe: used on the channel's event loop only.
 */
final class FragmentQueue {
    /** What {@link #add} made of a fragment. */
    enum Result {
        /** Kept: the queue owns the buffer now. */
        ADDED,
        /** All its data arrived already: the caller still owns the buffer. */
        DUPLICATE,
        /** It overlaps part of the data that arrived: the datagram is spoiled. */
        OVERLAP,
        /** It disagrees with the datagram's end: the datagram is spoiled. */
        INCONSISTENT
    }

    /** Arrays longer than this are not kept when a queue is reused: a pool of queues stays small. */
    private static final int KEPT_CAPACITY = 64;

    final FragmentKey key = new FragmentKey();
    long createdNanos;
    long deadlineNanos;
    /** The chain of datagrams of the same version, oldest first. */
    FragmentQueue older;
    FragmentQueue newer;

    private ByteBuf[] buffers = new ByteBuf[4];
    private int[] starts = new int[4];
    private int[] ends = new int[4];
    private int[] dataIndexes = new int[4];
    private int count;
    private boolean lastIn;
    private int length;
    private int maxEnd;
    private int received;
    private long bytes;

    /** Where the first fragment's IP header starts in its buffer, or -1 before the first fragment came. */
    private int headerIndex = -1;
    /** The length of what is copied of the first fragment's headers: IPv4 its header, IPv6 the unfragmentable part. */
    private int headerLength;
    /** IPv6: the index, from the header's start, of the Next Header field that names the fragment header. */
    private int nextHeaderField;
    /** IPv6: the first fragment's fragment header's Next Header. */
    private int fragmentNextHeader;

    /**
     * Makes this an empty queue for the datagram of {@code key}, which arrived first at {@code createdNanos}: a new
     * queue, or one that held another datagram before (its fragments released).
     */
    FragmentQueue reset(FragmentKey key, long createdNanos, long deadlineNanos) {
        this.key.copyFrom(key);
        this.createdNanos = createdNanos;
        this.deadlineNanos = deadlineNanos;
        older = null;
        newer = null;
        lastIn = false;
        length = 0;
        maxEnd = 0;
        received = 0;
        headerIndex = -1;
        if (buffers.length > KEPT_CAPACITY) {
            buffers = new ByteBuf[4];
            starts = new int[4];
            ends = new int[4];
            dataIndexes = new int[4];
        }
        return this;
    }

    /**
     * Takes a fragment: its data is {@code [start, end)} of the datagram's data, at {@code dataIndex} of
     * {@code buf}; {@code last} when no more fragments follow it.
     */
    Result add(ByteBuf buf, int dataIndex, int start, int end, boolean last) {
        if (last) {
            if (end < maxEnd || lastIn && end != length) {
                return Result.INCONSISTENT;
            }
        } else if (lastIn && end > length) {
            return Result.INCONSISTENT;
        }
        int i = insertionPoint(start);
        boolean overlapsBefore = i > 0 && ends[i - 1] > start;
        boolean overlapsAfter = i < count && starts[i] < end;
        if (overlapsBefore || overlapsAfter) {
            return covered(overlapsBefore ? i - 1 : i, start, end) ? Result.DUPLICATE : Result.OVERLAP;
        }
        if (last) {
            lastIn = true;
            length = end;
        }
        if (count == buffers.length) {
            int capacity = count * 2;
            buffers = Arrays.copyOf(buffers, capacity);
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
            dataIndexes = Arrays.copyOf(dataIndexes, capacity);
        }
        int moved = count - i;
        System.arraycopy(buffers, i, buffers, i + 1, moved);
        System.arraycopy(starts, i, starts, i + 1, moved);
        System.arraycopy(ends, i, ends, i + 1, moved);
        System.arraycopy(dataIndexes, i, dataIndexes, i + 1, moved);
        buffers[i] = buf;
        starts[i] = start;
        ends[i] = end;
        dataIndexes[i] = dataIndex;
        count++;
        maxEnd = Math.max(maxEnd, end);
        received += end - start;
        bytes += buf.capacity();
        return Result.ADDED;
    }

    /** The index of the first fragment that starts at or after {@code start}. */
    private int insertionPoint(int start) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether the fragments from {@code i} on, back to back, hold all of {@code [start, end)}. */
    private boolean covered(int i, int start, int end) {
        if (starts[i] > start) {
            return false;
        }
        int reach = ends[i];
        while (reach < end && i + 1 < count && starts[i + 1] == reach) {
            reach = ends[++i];
        }
        return reach >= end;
    }

    /**
     * Records where the first fragment's headers are, once it was added.
     *
     * @param headerIndex      where its IP header starts in its buffer
     * @param headerLength     IPv4: the header length; IPv6: the unfragmentable part's length
     * @param nextHeaderField  IPv6: the index, from the header's start, of the field that names the fragment header
     * @param fragmentNextHeader IPv6: the fragment header's Next Header
     */
    void first(int headerIndex, int headerLength, int nextHeaderField, int fragmentNextHeader) {
        this.headerIndex = headerIndex;
        this.headerLength = headerLength;
        this.nextHeaderField = nextHeaderField;
        this.fragmentNextHeader = fragmentNextHeader;
    }

    boolean hasFirst() {
        return headerIndex >= 0;
    }

    /** The first fragment's buffer; only when {@link #hasFirst()}. */
    ByteBuf firstBuffer() {
        return buffers[0];
    }

    /** Where the first fragment's IP header starts in {@link #firstBuffer()}. */
    int firstHeaderIndex() {
        return headerIndex;
    }

    /** The headers' length in the reassembled datagram. */
    int headerLength() {
        return headerLength;
    }

    /** Whether every byte from 0 to the end the last fragment set has arrived. */
    boolean isComplete() {
        return lastIn && received == length;
    }

    /** The length of the datagram's data (after the headers); only when complete. */
    int dataLength() {
        return length;
    }

    /** The bytes of the buffers held (their capacities). */
    long bytes() {
        return bytes;
    }

    int fragments() {
        return count;
    }

    /**
     * The datagram in one new buffer: the first fragment's headers (for IPv6 without the fragment header, whose
     * Next Header goes into the field that named it), then the data of every fragment in order. The length fields
     * and (IPv4) the flags and checksum are the caller's to set. Releases the fragments.
     */
    ByteBuf assemble(ByteBufAllocator alloc) {
        int total = headerLength + length;
        ByteBuf out = null;
        try {
            out = alloc.directBuffer(total, total);
            out.writeBytes(buffers[0], headerIndex, headerLength);
            if (key.version() == 6) {
                out.setByte(nextHeaderField, fragmentNextHeader);
            }
            for (int i = 0; i < count; i++) {
                out.writeBytes(buffers[i], dataIndexes[i], ends[i] - starts[i]);
            }
            return out;
        } catch (RuntimeException | Error e) {
            if (out != null) {
                out.release();
            }
            throw e;
        } finally {
            releaseAll();
        }
    }

    /** Releases every fragment held; returns how many there were. */
    int releaseAll() {
        int n = count;
        for (int i = 0; i < n; i++) {
            buffers[i].release();
            buffers[i] = null;
        }
        count = 0;
        bytes = 0;
        return n;
    }
}
