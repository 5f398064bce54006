package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.unix.Buffer;
import io.netty.util.concurrent.EventExecutor;
import io.tunecho.device.DeviceException;
import io.tunecho.device.RegisteredRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provided-buffer ring of one io_uring instance ({@code IORING_REGISTER_PBUF_RING}): a fixed set of packet
 * buffers from which the kernel takes one per read submitted with {@code IOSQE_BUFFER_SELECT} and this ring's
 * {@link #groupId()}, and names it in the completion.
 *
 * <p>{@link #take} turns the buffer of a completion into a {@link ByteBuf} over that buffer's memory (no copy);
 * releasing the {@code ByteBuf} gives the buffer back to the kernel. The {@code ByteBuf} objects are made once,
 * one per buffer, and reused, so a packet costs no allocation. While a packet is out, the ring holds no
 * reference to its {@code ByteBuf}: one that is dropped unreleased is collected, and Netty's leak detector reports
 * it as it reports a pooled buffer's leak.
 *
 * <p>The ring lives on one event loop: every method runs there. A buffer may be released on any thread; the
 * ring then takes it back on its event loop.
 *
 * <p>Why not Netty's own buffer rings ({@code IoUringBufferRingConfig} in {@code IoUringIoHandlerConfig}): Netty
 * 4.2.18 registers them, but the ring that maps a completion's buffer id to its {@code ByteBuf} and refills the
 * kernel's ring ({@code IoUringBufferRing}, found through {@code IoUringIoHandler.findBufferRing}) is
 * package-private, so a channel outside {@code io.netty.channel.uring} can neither take a buffer nor give one
 * back. This ring is registered through the event loop thread's registered ring ({@link RegisteredRing}), as the
 * event loop's descriptor is private too.
 */
final class PacketBufferRing implements PacketBuf.Home {
    private static final Logger logger = LoggerFactory.getLogger(PacketBufferRing.class);

    /** {@code struct io_uring_buf}: {@code u64 addr; u32 len; u16 bid; u16 resv}. */
    private static final int ENTRY_SIZE = 16;
    /** The ring's tail is the {@code resv} field of entry 0. */
    private static final int TAIL_OFFSET = 14;
    private static final int PAGE_SIZE = 4096;
    private static final int BUFFER_ALIGNMENT = 64;
    /** The largest ring the kernel accepts. */
    static final int MAX_BUFFERS = 32768;
    /** The most memory a ring of the default size takes: a large MTU gets fewer buffers (8 at least). */
    static final int DEFAULT_MAX_BYTES = 4 << 20;
    private static final int MIN_DEFAULT_BUFFERS = 8;
    /**
     * Group ids, high enough not to meet the small ids that Netty's own buffer rings are usually configured with.
     * A collision is detected (EEXIST) and the next id tried.
     */
    private static final int FIRST_GROUP_ID = 0x7100;
    private static final AtomicInteger NEXT_GROUP_ID = new AtomicInteger();
    private static final int EEXIST = 17;

    private final RegisteredRing kernelRing;
    private final EventExecutor loop;
    private final int groupId;
    private final int mask;
    private final int bufferSize;
    private final ByteBuffer entries;
    private final PacketBuf[] inRing;
    private short tail;
    private int out;
    private boolean registered;
    private Runnable onReturn;

    private PacketBufferRing(RegisteredRing kernelRing, EventExecutor loop, ByteBufAllocator alloc, int buffers,
            int bufferSize, int groupId, ByteBuffer entries) {
        this.kernelRing = kernelRing;
        this.loop = loop;
        this.groupId = groupId;
        this.mask = buffers - 1;
        this.bufferSize = bufferSize;
        this.entries = entries;
        this.inRing = new PacketBuf[buffers];
        int stride = stride(bufferSize);
        ByteBuffer memory = ByteBuffer.allocateDirect(buffers * stride);
        for (int bid = 0; bid < buffers; bid++) {
            inRing[bid] = new PacketBuf(this, alloc, memory.slice(bid * stride, bufferSize), bid);
        }
    }

    /**
     * Makes a ring of {@code buffers} buffers (a power of two up to {@value #MAX_BUFFERS}) of {@code bufferSize}
     * bytes, registers it with the ring {@code kernelRing} and hands every buffer to the kernel. Runs on
     * {@code loop}, the thread that registered {@code kernelRing}.
     *
     * @throws DeviceException if the kernel refuses the ring
     */
    static PacketBufferRing open(RegisteredRing kernelRing, EventExecutor loop, ByteBufAllocator alloc, int buffers,
            int bufferSize) throws DeviceException {
        if (Integer.bitCount(buffers) != 1 || buffers > MAX_BUFFERS) {
            throw new IllegalArgumentException("a buffer ring holds a power of two up to " + MAX_BUFFERS
                    + " buffers: " + buffers);
        }
        if ((long) buffers * stride(bufferSize) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(buffers + " buffers of " + bufferSize + " bytes exceed 2 GB");
        }
        // Whole pages: the kernel pins the pages of the ring. alignedSlice rounds the capacity down to pages.
        int ringBytes = (buffers * ENTRY_SIZE + PAGE_SIZE - 1) & -PAGE_SIZE;
        ByteBuffer entries = ByteBuffer.allocateDirect(ringBytes + PAGE_SIZE).alignedSlice(PAGE_SIZE)
                .order(ByteOrder.nativeOrder());
        long address = Buffer.memoryAddress(entries);
        for (int attempt = 0; ; attempt++) {
            int groupId = FIRST_GROUP_ID + (NEXT_GROUP_ID.getAndIncrement() & 0xFFF);
            try {
                kernelRing.registerBufferRing(address, buffers, groupId);
            } catch (DeviceException e) {
                if (e.errno() == EEXIST && attempt < 16) {
                    continue;
                }
                throw e;
            }
            try {
                PacketBufferRing ring = new PacketBufferRing(kernelRing, loop, alloc, buffers, bufferSize, groupId,
                        entries);
                ring.registered = true;
                for (PacketBuf buf : ring.inRing) {
                    ring.put(buf);
                }
                ring.publish();
                return ring;
            } catch (RuntimeException | Error e) { // the buffers' memory, most likely
                kernelRing.unregisterBufferRing(groupId);
                throw e;
            }
        }
    }

    /**
     * How many buffers of {@code bufferSize} bytes a ring holds when the user did not say: {@code preferred}, or the
     * largest power of two below it whose buffers fit in {@value #DEFAULT_MAX_BYTES} bytes, since direct memory may
     * be small (the launcher's JVM options give it 16 MB) and a ring of 256 buffers of a 64 kB MTU would take 16 MB.
     */
    static int defaultBuffers(int bufferSize, int preferred) {
        int fit = Integer.highestOneBit(Math.max(1, DEFAULT_MAX_BYTES / stride(bufferSize)));
        return Math.max(Math.min(MIN_DEFAULT_BUFFERS, preferred), Math.min(preferred, fit));
    }

    private static int stride(int bufferSize) {
        return (bufferSize + BUFFER_ALIGNMENT - 1) & -BUFFER_ALIGNMENT;
    }

    /** The id that reads name to take their buffers from this ring. */
    int groupId() {
        return groupId;
    }

    /** The size of each buffer: the largest packet a read into this ring returns whole. */
    int bufferSize() {
        return bufferSize;
    }

    /** How many buffers the ring has. */
    int buffers() {
        return inRing.length;
    }

    /** How many buffers packets hold (taken and not yet released). */
    int buffersOut() {
        return out;
    }

    boolean isRegistered() {
        return registered;
    }

    /**
     * The buffer {@code bid}, which the kernel filled with {@code length} bytes, as a {@link ByteBuf} that the
     * caller owns: releasing it gives the buffer back to the ring.
     */
    ByteBuf take(int bid, int length) {
        PacketBuf buf = bid <= mask ? inRing[bid] : null;
        if (buf == null) {
            throw new IllegalStateException("the kernel completed a read into buffer " + bid + " of ring "
                    + groupId + ", which a packet holds");
        }
        inRing[bid] = null;
        out++;
        buf.reuse(length);
        return buf;
    }

    /** Runs {@code task} once, at the next buffer that comes back (for a read that ran out of buffers). */
    void onNextReturn(Runnable task) {
        onReturn = task;
    }

    @Override
    public EventExecutor loop() {
        return loop;
    }

    /** A released buffer comes back: to the kernel, or only to this ring once it is closed. */
    @Override
    public void giveBack(PacketBuf buf) {
        inRing[buf.id()] = buf;
        out--;
        if (registered) {
            put(buf);
            publish();
        }
        Runnable task = onReturn;
        if (task != null) {
            onReturn = null;
            task.run();
        }
    }

    private void put(PacketBuf buf) {
        int offset = (tail & mask) * ENTRY_SIZE;
        entries.putLong(offset, buf.address());
        entries.putInt(offset + 8, bufferSize);
        entries.putShort(offset + 12, (short) buf.id());
        tail++;
    }

    /**
     * Lets the kernel see the buffers put since the last call: the entries are written before the tail, which the
     * kernel reads with acquire semantics. (A fence and a plain store rather than a byte-buffer-view VarHandle,
     * whose first creation costs a cold JVM tens of milliseconds.)
     */
    private void publish() {
        VarHandle.releaseFence();
        entries.putShort(TAIL_OFFSET, tail);
    }

    /**
     * Takes the ring back from the kernel, which must have no read left that takes buffers from it. Packets that
     * are still out stay valid; their memory is freed when the last of them is released and collected.
     */
    void close() {
        onReturn = null;
        if (!registered) {
            return;
        }
        registered = false;
        try {
            kernelRing.unregisterBufferRing(groupId);
        } catch (DeviceException e) {
            // The event loop's ring is gone already (it is shutting down), and the buffer ring with it.
            logger.debug("buffer ring {}: {}", groupId, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "PacketBufferRing(group " + groupId + ", " + inRing.length + " x " + bufferSize + " bytes, " + out
                + " out" + (registered ? "" : ", closed") + ")";
    }
}
