package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.uring.IoUringIoEvent;

/**
 * Reads with plain io_uring reads ({@code IORING_OP_READV} of one {@code iovec}, {@link IovecSlots}):
 * {@link TunChannelOption#READS_IN_FLIGHT} of them submitted at once (default 1),
 * each into its own buffer from the channel's {@link RecvByteBufAllocator}; a completed read goes down the pipeline
 * and its slot is submitted again. The reader of kernels without a multishot read, and of channels that turn
 * {@link TunChannelOption#MULTISHOT_READ} off.
 *
 * <p>On a TUN device a plain read waits on a poll: the driver has no non-blocking I/O for io_uring. The device's
 * descriptor is blocking in this mode, so that the kernel polls instead of completing a read with EAGAIN.
 */
final class SingleReader implements UringReader {
    private final IoUringTunChannel channel;
    private final ByteBuf[] buffers = new ByteBuf[IoUringTunChannel.MAX_READS_IN_FLIGHT];
    private final long[] ids = new long[IoUringTunChannel.MAX_READS_IN_FLIGHT];
    private final IovecSlots slots;
    private int inFlight;

    SingleReader(IoUringTunChannel channel) {
        this.channel = channel;
        this.slots = new IovecSlots(IovecSlots.IORING_OP_READV, channel.fd().intValue(),
                IoUringTunChannel.MAX_READS_IN_FLIGHT);
    }

    @Override
    public void start() {
        int wanted = channel.config().getReadsInFlight();
        for (int slot = 0; slot < wanted; slot++) {
            if (buffers[slot] == null) {
                submit(slot);
            }
        }
    }

    @SuppressWarnings("deprecation")
    private void submit(int slot) {
        RecvByteBufAllocator.Handle handle = channel.unsafe().recvBufAllocHandle();
        ByteBufAllocator alloc = channel.config().getAllocator();
        ByteBuf buf = handle.allocate(alloc);
        if (!buf.hasMemoryAddress()) {
            // The user's allocator gave a heap buffer: the kernel needs native memory.
            ByteBuf direct = alloc.directBuffer(buf.capacity());
            buf.release();
            buf = direct;
        }
        buffers[slot] = buf;
        ids[slot] = channel.registration().submit(slots.prepare(slot, buf.memoryAddress() + buf.writerIndex(),
                buf.writableBytes()));
        inFlight++;
    }

    @Override
    public void completed(IoUringIoEvent event) {
        int slot = event.data();
        int res = event.res();
        ByteBuf buf = buffers[slot];
        buffers[slot] = null;
        inFlight--;
        if (res > 0) {
            buf.writerIndex(buf.writerIndex() + res);
            channel.packetRead(buf);
        } else {
            buf.release();
        }
        if (channel.isClosing()) {
            channel.ioMayHaveStopped();
            return;
        }
        if (res > 0) {
            if (channel.config().isAutoRead() && slot < channel.config().getReadsInFlight()) {
                submit(slot);
            }
        } else if (res == 0 || res == -IoUringTunChannel.EAGAIN || res == -IoUringTunChannel.EINTR) {
            // Nothing was read (0 is what read(2) returns into an empty buffer): read again, as epoll would.
            submit(slot);
        } else if (res != -IoUringTunChannel.ECANCELED) {
            channel.readFailed(res);
        }
    }

    @Override
    public void pause() {
        // Reads in flight complete; no new ones are submitted until the channel reads again.
    }

    @Override
    public boolean inFlight() {
        return inFlight > 0;
    }

    @Override
    public void cancel() {
        for (int slot = 0; slot < buffers.length; slot++) {
            if (buffers[slot] != null) {
                channel.registration().submit(IoUringTunChannel.cancelOp(ids[slot]));
            }
        }
    }

    @Override
    public void mtuChanged(int mtu) {
        // The next reads take buffers of the new size from the channel's allocator.
    }

    @Override
    public void close() {
    }

    @Override
    public String mode() {
        return "single";
    }
}
