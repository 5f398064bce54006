package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

import java.nio.ByteBuffer;

/**
 * The packet buffers that a {@link TunChannel} reads into: a fixed set of buffers of one size, handed out last in,
 * first out. A reply usually leaves in its request's buffer and is released at the flush that writes it, so the next
 * read takes a buffer whose memory (and whose {@code ByteBuf} object) the cache still holds, where an allocator
 * would hand out the next piece of a chunk. Taking and giving back are a step on a stack: nothing is allocated.
 *
 * <p>When every buffer is out (the pipeline holds them: delayed replies, fragments waiting for the rest of their
 * datagram), {@link #take} says so and the channel reads into a buffer of its allocator instead. A closed pool
 * (the MTU outgrew its buffers) takes nothing back; packets still out stay valid until they are released.
 *
 * <p>The pool lives on its channel's event loop: every method runs there. A buffer may be released on any thread;
 * the pool then takes it back on its event loop.
 */
final class PacketPool implements PacketBuf.Home {
    /** Buffers per pool at most: two full read bursts, so that one can be out while the next is read. */
    static final int BUFFERS = 128;
    /** The most memory a pool takes (direct memory, which the JVM options may keep small): large MTUs get fewer. */
    static final int MAX_BYTES = 1 << 20;
    static final int MIN_BUFFERS = 8;

    private final EventExecutor loop;
    private final int bufferSize;
    private final PacketBuf[] free;
    private int top;
    private boolean closed;

    PacketPool(EventExecutor loop, ByteBufAllocator alloc, int buffers, int bufferSize) {
        this.loop = loop;
        this.bufferSize = bufferSize;
        this.free = new PacketBuf[buffers];
        ByteBuffer memory = ByteBuffer.allocateDirect(buffers * bufferSize);
        for (int id = 0; id < buffers; id++) {
            free[id] = new PacketBuf(this, alloc, memory.slice(id * bufferSize, bufferSize), id);
        }
        top = buffers;
    }

    /** How many buffers of {@code bufferSize} bytes a pool holds: {@link #BUFFERS}, fewer for a large MTU. */
    static int buffersFor(int bufferSize) {
        return Math.max(MIN_BUFFERS, Math.min(BUFFERS, MAX_BYTES / bufferSize));
    }

    /** The most recently given back free buffer, empty, with one reference; {@code null} when all are out. */
    ByteBuf take() {
        if (top == 0) {
            return null;
        }
        PacketBuf buf = free[--top];
        free[top] = null;
        buf.reuse(0);
        return buf;
    }

    int bufferSize() {
        return bufferSize;
    }

    /** How many buffers are out (taken and not yet released). */
    int buffersOut() {
        return free.length - top;
    }

    /** Takes no buffer back any more: what is out is freed with its last reference. */
    void close() {
        closed = true;
    }

    @Override
    public EventExecutor loop() {
        return loop;
    }

    @Override
    public void giveBack(PacketBuf buf) {
        if (!closed) {
            free[top++] = buf;
        }
    }

    @Override
    public String toString() {
        return "PacketPool(" + free.length + " x " + bufferSize + " bytes, " + buffersOut() + " out"
                + (closed ? ", closed" : "") + ")";
    }
}
