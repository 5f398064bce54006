package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.unix.Buffer;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import io.netty.util.concurrent.EventExecutor;

import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * A packet buffer of a fixed set that a channel reads into ({@link PacketBufferRing}, {@link PacketPool}), as a
 * {@link ByteBuf}: made once and reused for every packet read into its memory. Its last release gives it back to
 * its {@link Home} on the home's event loop, instead of freeing memory. While a packet is out, the home holds no
 * reference to it: one that is dropped unreleased is collected, and Netty's leak detector reports it as it reports a
 * pooled buffer's leak.
 */
final class PacketBuf extends UnpooledUnsafeDirectByteBuf implements Runnable {
    private static final ResourceLeakDetector<ByteBuf> LEAKS =
            ResourceLeakDetectorFactory.instance().newResourceLeakDetector(ByteBuf.class);

    /** Where a released buffer goes back to; every call runs on {@link #loop()}. */
    interface Home {
        EventExecutor loop();

        void giveBack(PacketBuf buf);
    }

    private final Home home;
    private final int id;
    /** The buffer's memory (a released ByteBuf refuses {@link #memoryAddress()}). */
    private final long address;
    private ResourceLeakTracker<ByteBuf> leak;

    PacketBuf(Home home, ByteBufAllocator alloc, ByteBuffer memory, int id) {
        super(alloc, memory, memory.remaining());
        this.home = home;
        this.id = id;
        this.address = Buffer.memoryAddress(memory);
    }

    /** The buffer's number in its home. */
    int id() {
        return id;
    }

    long address() {
        return address;
    }

    /** Makes this buffer a fresh packet of {@code length} bytes, with one reference. */
    void reuse(int length) {
        resetRefCnt();
        setIndex(0, length);
        leak = LEAKS.track(this);
    }

    @Override
    protected void deallocate() {
        ResourceLeakTracker<ByteBuf> leak = this.leak;
        if (leak != null) {
            this.leak = null;
            leak.close(this);
        }
        EventExecutor loop = home.loop();
        if (loop.inEventLoop()) {
            home.giveBack(this);
        } else {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) {
                // The event loop has stopped: nothing reads into its buffers any more.
            }
        }
    }

    /** Gives this buffer back to its home, on the home's event loop (after a release on another thread). */
    @Override
    public void run() {
        home.giveBack(this);
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        if (newCapacity == capacity()) {
            return this;
        }
        throw new UnsupportedOperationException("a TUN channel's packet buffer has a fixed capacity of "
                + capacity() + " bytes");
    }

    @Override
    public ByteBuf touch(Object hint) {
        ResourceLeakTracker<ByteBuf> leak = this.leak;
        if (leak != null) {
            leak.record(hint);
        }
        return this;
    }

    @Override
    public ByteBuf touch() {
        return touch(null);
    }
}
