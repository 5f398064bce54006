package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.Executor;

/**
 * A Netty {@link io.netty.channel.Channel} over a Linux TUN device, on Netty's io_uring {@link IoEventLoop}
 * ({@code MultiThreadIoEventLoopGroup} with {@code IoUringIoHandler.newFactory()}): the same contract as
 * {@link TunChannel}, with the I/O as io_uring operations.
 *
 * <p>While the channel reads it keeps {@link TunChannelOption#READS_IN_FLIGHT} reads in flight (default 1), each
 * into its own buffer from the channel's {@link RecvByteBufAllocator}; a completed read goes down the pipeline and
 * its slot is armed again.
 * {@code channelReadComplete} fires once per event-loop turn, after the turn's completions, so that the replies
 * of a burst are flushed together. A flush submits one write per packet; the event loop hands all the turn's
 * submissions to the kernel in one {@code io_uring_enter}. A buffer that the kernel may still use is never
 * released: on close, reads in flight are cancelled, and the channel closes when the last one has completed.
 */
public class IoUringTunChannel extends AbstractTunChannel {
    /** The most reads a channel keeps in flight ({@link TunChannelOption#READS_IN_FLIGHT}). */
    public static final int MAX_READS_IN_FLIGHT = 64;
    static final int MAX_WRITES_IN_FLIGHT = 256;
    private static final byte IORING_OP_ASYNC_CANCEL = 14;
    private static final byte IORING_OP_READ = 22;
    private static final byte IORING_OP_WRITE = 23;
    private static final int ECANCELED = 125;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    private final ByteBuf[] reads = new ByteBuf[MAX_READS_IN_FLIGHT];
    private final long[] readIds = new long[MAX_READS_IN_FLIGHT];
    private int readsInFlight;
    private final ByteBuf[] writes = new ByteBuf[MAX_WRITES_IN_FLIGHT];
    private int nextWriteSlot;
    private int writesInFlight;
    private boolean closing;
    private Runnable pendingClose;
    private boolean readCompletePending;
    private final Runnable readComplete = () -> {
        readCompletePending = false;
        pipeline().fireChannelReadComplete();
    };
    private final WriteSubmitter writeSubmitter = new WriteSubmitter();

    /** Opens {@code /dev/net/tun}; the channel still has to be registered and bound. */
    public IoUringTunChannel() {
        try {
            device().setNonBlocking(false);
        } catch (IOException e) {
            device().close();
            throw new ChannelException(e.getMessage(), e);
        }
    }

    @Override
    protected void ensureTransportAvailable() {
        IoUring.ensureAvailability();
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new UringUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop && ((IoEventLoop) loop).isCompatible(UringUnsafe.class);
    }

    @Override
    public boolean isOpen() {
        return !closing && super.isOpen();
    }

    @Override
    protected void doBeginRead() {
        if (!isActive() || closing) {
            return;
        }
        int wanted = config().getReadsInFlight();
        for (int slot = 0; slot < wanted; slot++) {
            if (reads[slot] == null) {
                submitRead(slot);
            }
        }
    }

    @SuppressWarnings("deprecation")
    private void submitRead(int slot) {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        ByteBufAllocator alloc = config().getAllocator();
        ByteBuf buf = handle.allocate(alloc);
        if (!buf.hasMemoryAddress()) {
            buf.release();
            buf = alloc.directBuffer(config().getRecvByteBufAllocator().newHandle().guess());
        }
        reads[slot] = buf;
        readIds[slot] = registration().submit(new IoUringIoOps(IORING_OP_READ, (byte) 0, (short) 0, fd().intValue(),
                -1L, buf.memoryAddress() + buf.writerIndex(), buf.writableBytes(), 0, (short) slot, (short) 0,
                (short) 0, 0, 0L));
        readsInFlight++;
    }

    private void readCompleted(int slot, int res) {
        ByteBuf buf = reads[slot];
        reads[slot] = null;
        readsInFlight--;
        if (res > 0) {
            buf.writerIndex(buf.writerIndex() + res);
            pipeline().fireChannelRead(buf);
            if (!readCompletePending) {
                readCompletePending = true;
                eventLoop().execute(readComplete); // runs after this turn's completions
            }
            if (isActive() && !closing && config().isAutoRead() && slot < config().getReadsInFlight()) {
                submitRead(slot);
            }
            return;
        }
        buf.release();
        if (closing) {
            closeWhenIdle();
        } else if (res == -EAGAIN || res == -EINTR) {
            submitRead(slot);
        } else if (res != -ECANCELED) {
            pipeline().fireExceptionCaught(new IOException("read from the TUN device failed: errno " + -res));
            unsafe().close(unsafe().voidPromise());
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (closing) {
            return;
        }
        writeSubmitter.skip = writesInFlight;
        in.forEachFlushedMessage(writeSubmitter);
    }

    /**
     * Submits one write per flushed packet that is not in flight yet. Each write holds its own reference to its
     * buffer until its own completion: the kernel may complete writes out of order (io-wq workers), while the
     * outbound buffer is emptied from its head, one entry per completion.
     */
    private final class WriteSubmitter implements ChannelOutboundBuffer.MessageProcessor {
        int skip;

        @Override
        public boolean processMessage(Object msg) {
            if (skip > 0) {
                skip--;
                return true;
            }
            if (writesInFlight == MAX_WRITES_IN_FLIGHT) {
                return false; // the next completion flushes again
            }
            int slot = nextWriteSlot;
            while (writes[slot] != null) {
                slot = (slot + 1) % MAX_WRITES_IN_FLIGHT;
            }
            nextWriteSlot = (slot + 1) % MAX_WRITES_IN_FLIGHT;
            ByteBuf buf = ((ByteBuf) msg).retain();
            writes[slot] = buf;
            registration().submit(new IoUringIoOps(IORING_OP_WRITE, (byte) 0, (short) 0, fd().intValue(), -1L,
                    buf.memoryAddress() + buf.readerIndex(), buf.readableBytes(), 0, (short) slot, (short) 0,
                    (short) 0, 0, 0L));
            writesInFlight++;
            return true;
        }
    }

    private void writeCompleted(int slot, int res) {
        writes[slot].release();
        writes[slot] = null;
        writesInFlight--;
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        if (in != null && in.current() != null) {
            if (res >= 0) {
                in.remove();
            } else {
                in.remove(new IOException("write to the TUN device failed: errno " + -res));
            }
            if (writesInFlight == 0 && !in.isEmpty() && !closing) {
                ((UringUnsafe) unsafe()).flushNow(); // what could not be submitted while the slots were full
            }
        }
        if (closing) {
            closeWhenIdle();
        }
    }

    /**
     * Closing with I/O in flight: the kernel may still write into the read buffers, so the reads are cancelled
     * and the actual close (descriptor, buffers, close future) runs once the last of them has completed; the
     * interface that the bind created is gone when the close future completes.
     */
    private Executor prepareToClose() {
        IoRegistration registration = registration();
        if (closing || registration == null || readsInFlight + writesInFlight == 0) {
            return null;
        }
        closing = true;
        deactivate();
        for (int slot = 0; slot < MAX_READS_IN_FLIGHT; slot++) {
            if (reads[slot] != null) {
                registration.submit(new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L,
                        readIds[slot], 0, 0, (short) 0, (short) 0, (short) 0, 0, 0L));
            }
        }
        return task -> pendingClose = task;
    }

    @Override
    protected void doClose() throws Exception {
        closing = true;
        super.doClose();
    }

    private void closeWhenIdle() {
        if (readsInFlight + writesInFlight == 0 && pendingClose != null) {
            Runnable close = pendingClose;
            pendingClose = null;
            close.run();
        }
    }

    private final class UringUnsafe extends AbstractUnsafe implements IoUringIoHandle {

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            switch (e.opcode()) {
                case IORING_OP_READ:
                    readCompleted(e.data(), e.res());
                    break;
                case IORING_OP_WRITE:
                    writeCompleted(e.data(), e.res());
                    break;
                default:
                    break; // a cancel's own completion: the cancelled read completes separately
            }
        }

        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException(
                    "a TUN channel has no peer to connect to: bind it to a TunAddress"));
        }

        void flushNow() {
            super.flush0();
        }

        @Override
        protected Executor prepareToClose() {
            return IoUringTunChannel.this.prepareToClose();
        }

        @Override
        public void close() {
            close(voidPromise());
        }
    }
}
