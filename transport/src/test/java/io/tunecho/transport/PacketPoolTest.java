package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketPoolTest {
    private static PacketPool pool(int buffers) {
        return new PacketPool(ImmediateEventExecutor.INSTANCE, ByteBufAllocator.DEFAULT, buffers, 1500);
    }

    @Test
    void theBufferGivenBackLastIsTakenFirst() {
        PacketPool pool = pool(4);
        ByteBuf a = pool.take();
        ByteBuf b = pool.take();
        a.release();
        b.release();
        assertSame(b, pool.take(), "the most recently released buffer comes first: its memory is warm");
        assertSame(a, pool.take());
        assertEquals(2, pool.buffersOut());
        a.release();
        b.release();
    }

    @Test
    void aTakenBufferIsAnEmptyPacketOfTheMtusSizeWithOneReference() {
        PacketPool pool = pool(2);
        ByteBuf buf = pool.take();
        buf.writeInt(0x45000054);
        buf.release();
        ByteBuf again = pool.take();
        assertSame(buf, again);
        assertEquals(1, again.refCnt());
        assertEquals(0, again.readableBytes());
        assertEquals(1500, again.capacity());
        assertTrue(again.hasMemoryAddress(), "read(2) reads into its memory");
        again.writerIndex(1500);
        assertThrows(IndexOutOfBoundsException.class, () -> again.writeByte(0), "a packet never outgrows the MTU");
        again.release();
    }

    @Test
    void aDryPoolSaysSoAndTakesAgainWhenABufferComesBack() {
        PacketPool pool = pool(2);
        ByteBuf a = pool.take();
        ByteBuf b = pool.take();
        assertNull(pool.take(), "every buffer is out: the channel reads into its allocator's buffer instead");
        b.release();
        assertSame(b, pool.take());
        a.release();
        b.release();
        assertEquals(0, pool.buffersOut());
    }

    @Test
    void aBufferReleasedOnAnotherThreadComesBackOnThePoolsLoop() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            PacketPool pool = loop.submit(() -> new PacketPool(loop, ByteBufAllocator.DEFAULT, 2, 1500))
                    .get(5, TimeUnit.SECONDS);
            ByteBuf buf = loop.submit(pool::take).get(5, TimeUnit.SECONDS);
            assertNotNull(buf);
            buf.release(); // this thread: the pool takes it back on its loop, before the task below
            ByteBuf again = loop.submit(pool::take).get(5, TimeUnit.SECONDS);
            assertSame(buf, again);
            assertEquals(1, (int) loop.submit(pool::buffersOut).get(5, TimeUnit.SECONDS));
            again.release();
            assertEquals(0, (int) loop.submit(pool::buffersOut).get(5, TimeUnit.SECONDS));
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aClosedPoolTakesNothingBack() {
        PacketPool pool = pool(2);
        ByteBuf buf = pool.take();
        pool.close();
        buf.release();
        assertEquals(1, pool.buffersOut(), "the buffer is freed with its last reference, not pooled again");
    }

    @Test
    void aLargeMtuGetsFewerBuffersAndAPoolStaysWithinItsMemory() {
        assertEquals(PacketPool.BUFFERS, PacketPool.buffersFor(1500));
        assertEquals(116, PacketPool.buffersFor(9000));
        assertEquals(16, PacketPool.buffersFor(65535));
        for (int mtu = 68; mtu <= 65535; mtu += 997) {
            int buffers = PacketPool.buffersFor(mtu);
            assertTrue(buffers >= PacketPool.MIN_BUFFERS && buffers <= PacketPool.BUFFERS, mtu + ": " + buffers);
            assertTrue((long) buffers * mtu <= PacketPool.MAX_BYTES, mtu + ": " + buffers);
        }
    }
}
