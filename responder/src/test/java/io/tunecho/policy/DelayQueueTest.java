package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunecho.packet.ReplyKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The held replies of one channel: out by deadline (ties in the order added), within capacity, buffers released. */
class DelayQueueTest {

    /** A buffer of {@code capacity} bytes whose first byte tells which reply it is. */
    private static ByteBuf reply(int id, int capacity) {
        return Unpooled.buffer(capacity, capacity).writeByte(id);
    }

    private static int pollId(DelayQueue q) {
        ByteBuf b = q.poll();
        try {
            assertEquals(1, b.refCnt(), "handed over, not released");
            return b.getByte(0);
        } finally {
            b.release();
        }
    }

    @Test
    void repliesComeOutByDeadlineAndTiesInTheOrderAdded() {
        DelayQueue q = new DelayQueue(8);
        q.add(300, reply(1, 64), null, ReplyKind.ECHO);
        q.add(100, reply(2, 64), null, ReplyKind.TCP);
        q.add(200, reply(3, 64), null, ReplyKind.ECHO);
        q.add(100, reply(4, 64), null, ReplyKind.ICMP_ERROR);
        q.add(100, reply(5, 64), null, ReplyKind.ECHO);
        List<Integer> ids = new ArrayList<>();
        List<Long> deadlines = new ArrayList<>();
        List<ReplyKind> kinds = new ArrayList<>();
        while (!q.isEmpty()) {
            deadlines.add(q.firstDeadline());
            kinds.add(q.firstKind());
            ids.add(pollId(q));
        }
        assertEquals(List.of(2, 4, 5, 3, 1), ids);
        assertEquals(List.of(100L, 100L, 100L, 200L, 300L), deadlines);
        assertEquals(List.of(ReplyKind.TCP, ReplyKind.ICMP_ERROR, ReplyKind.ECHO, ReplyKind.ECHO, ReplyKind.ECHO),
                kinds);
    }

    @Test
    void deadlinesCompareAcrossTheWrapOfNanoTime() {
        DelayQueue q = new DelayQueue(2);
        q.add(Long.MIN_VALUE + 5, reply(1, 16), null, ReplyKind.ECHO); // 10 ns after the other, past the wrap
        q.add(Long.MAX_VALUE - 4, reply(2, 16), null, ReplyKind.ECHO);
        assertEquals(2, pollId(q));
        assertEquals(1, pollId(q));
    }

    @Test
    void manyRepliesInRandomOrderComeOutSorted() {
        int n = 1_000;
        DelayQueue q = new DelayQueue(n);
        Random random = new Random(42);
        long[] deadlines = new long[n];
        for (int i = 0; i < n; i++) {
            deadlines[i] = random.nextInt(50); // many ties
            ByteBuf b = Unpooled.buffer(4, 4).writeInt(i);
            q.add(deadlines[i], b, null, ReplyKind.ECHO);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        expected.sort(Comparator.<Integer>comparingLong(i -> deadlines[i]).thenComparing(i -> i));
        List<Integer> out = new ArrayList<>();
        while (!q.isEmpty()) {
            ByteBuf b = q.poll();
            out.add(b.getInt(0));
            b.release();
        }
        assertEquals(expected, out);
    }

    @Test
    void sizeCapacityAndHeldBytesFollowAddsAndPolls() {
        DelayQueue q = new DelayQueue(3);
        assertEquals(3, q.capacity());
        assertTrue(q.isEmpty());
        q.add(10, reply(1, 100), null, ReplyKind.ECHO);
        q.add(20, reply(2, 1500), null, ReplyKind.ECHO);
        q.add(5, reply(3, 60), null, ReplyKind.ECHO);
        assertEquals(3, q.size(), "full: the caller adds no more (it counts a drop instead)");
        assertEquals(1660, q.heldBytes());
        assertEquals(3, pollId(q));
        assertEquals(2, q.size());
        assertEquals(1600, q.heldBytes());
        q.add(15, reply(4, 40), null, ReplyKind.ECHO);
        assertEquals(3, q.size(), "a polled place is free again");
        assertEquals(1, pollId(q));
        assertEquals(4, pollId(q));
        assertEquals(2, pollId(q));
        assertEquals(0, q.heldBytes());
        assertTrue(q.isEmpty());
    }

    @Test
    void clearReleasesEveryHeldBuffer() {
        DelayQueue q = new DelayQueue(4);
        List<ByteBuf> held = List.of(reply(1, 64), reply(2, 64), reply(3, 64));
        long deadline = 30;
        for (ByteBuf b : held) {
            q.add(deadline--, b, null, ReplyKind.ECHO);
        }
        q.clear();
        for (ByteBuf b : held) {
            assertEquals(0, b.refCnt());
        }
        assertTrue(q.isEmpty());
        assertEquals(0, q.heldBytes());
        ByteBuf next = reply(9, 64);
        q.add(1, next, null, ReplyKind.TCP);
        assertSame(next, q.poll(), "usable again after clear");
        assertFalse(next.refCnt() == 0);
        next.release();
    }
}
