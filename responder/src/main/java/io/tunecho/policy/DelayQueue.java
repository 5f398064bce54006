package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.tunecho.hosts.HostEntry;
import io.tunecho.packet.ReplyKind;

/**
 * The replies one channel holds back until their time: a binary min-heap by release time (ties in the order they
 * were added), bounded, in arrays allocated once. Each held reply keeps the host entry it is counted at and its
 * {@link ReplyKind}. Not thread-safe: used on the channel's event loop only.
 */
final class DelayQueue {
    private final long[] deadlines;
    private final long[] order;
    private final ByteBuf[] buffers;
    private final HostEntry[] hosts;
    private final ReplyKind[] kinds;
    private int size;
    private long added;
    private long heldBytes;

    DelayQueue(int capacity) {
        deadlines = new long[capacity];
        order = new long[capacity];
        buffers = new ByteBuf[capacity];
        hosts = new HostEntry[capacity];
        kinds = new ReplyKind[capacity];
    }

    int size() {
        return size;
    }

    int capacity() {
        return deadlines.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The bytes of the buffers held (their capacities). */
    long heldBytes() {
        return heldBytes;
    }

    /** The earliest release time; only when not empty. */
    long firstDeadline() {
        return deadlines[0];
    }

    /** Adds a reply; the queue owns the buffer until {@link #poll}. Only when {@code size() < capacity()}. */
    void add(long deadline, ByteBuf buf, HostEntry host, ReplyKind kind) {
        int i = size++;
        long seq = added++;
        heldBytes += buf.capacity();
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(deadline, seq, deadlines[parent], order[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, deadline, seq, buf, host, kind);
    }

    /** The host entry of the first reply; only when not empty. */
    HostEntry firstHost() {
        return hosts[0];
    }

    ReplyKind firstKind() {
        return kinds[0];
    }

    /** Removes the first reply and hands its buffer over; only when not empty. */
    ByteBuf poll() {
        ByteBuf first = buffers[0];
        heldBytes -= first.capacity();
        int last = --size;
        long d = deadlines[last];
        long seq = order[last];
        ByteBuf buf = buffers[last];
        HostEntry host = hosts[last];
        ReplyKind kind = kinds[last];
        buffers[last] = null;
        hosts[last] = null;
        if (last > 0) {
            int i = 0;
            for (;;) {
                int child = 2 * i + 1;
                if (child >= last) {
                    break;
                }
                if (child + 1 < last && before(deadlines[child + 1], order[child + 1], deadlines[child], order[child])) {
                    child++;
                }
                if (!before(deadlines[child], order[child], d, seq)) {
                    break;
                }
                move(child, i);
                i = child;
            }
            set(i, d, seq, buf, host, kind);
        }
        return first;
    }

    /** Releases every held buffer. */
    void clear() {
        for (int i = 0; i < size; i++) {
            buffers[i].release();
            buffers[i] = null;
            hosts[i] = null;
        }
        size = 0;
        heldBytes = 0;
    }

    private static boolean before(long d1, long s1, long d2, long s2) {
        return d1 - d2 < 0 || d1 == d2 && s1 < s2;
    }

    private void move(int from, int to) {
        set(to, deadlines[from], order[from], buffers[from], hosts[from], kinds[from]);
    }

    private void set(int i, long deadline, long seq, ByteBuf buf, HostEntry host, ReplyKind kind) {
        deadlines[i] = deadline;
        order[i] = seq;
        buffers[i] = buf;
        hosts[i] = host;
        kinds[i] = kind;
    }
}
