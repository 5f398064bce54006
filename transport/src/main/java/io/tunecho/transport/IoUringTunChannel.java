package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.unix.Errors;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import io.tunecho.device.DeviceException;
import io.tunecho.device.IoUringProbe;
import io.tunecho.device.NetInterfaces;
import io.tunecho.device.RegisteredRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Netty {@link io.netty.channel.Channel} over a Linux TUN device, on Netty's io_uring {@link IoEventLoop}
 * ({@code MultiThreadIoEventLoopGroup} with {@code IoUringIoHandler.newFactory()}): the same contract as
 * {@link TunChannel}, with the I/O as io_uring operations.
 *
 * <p>Reading: where the kernel has it (Linux 6.7+), one multishot read into a ring of packet buffers that the
 * channel registers with the event loop's io_uring ({@link MultishotReader}); each inbound packet is a
 * {@code ByteBuf} over its ring buffer, and releasing it gives the buffer back. Elsewhere, or with
 * {@link TunChannelOption#MULTISHOT_READ} off, {@link TunChannelOption#READS_IN_FLIGHT} plain reads into buffers of
 * the channel's allocator ({@link SingleReader}). {@code channelReadComplete} fires once per event-loop turn, after
 * the turn's completions, so that the replies of a burst are flushed together.
 *
 * <p>Writing ({@link UringWrites}): the lone reply of a turn goes out at once with {@code write(2)}; two or more
 * are one io_uring write each, and the event loop hands all of a turn's submissions to the kernel in one
 * {@code io_uring_enter}. Each write completes its own promise.
 *
 * <p>A buffer that the kernel may still use is never released: on close, reads in flight are cancelled, and the
 * channel closes when the last of its operations has completed.
 */
public class IoUringTunChannel extends AbstractTunChannel {
    private static final Logger logger = LoggerFactory.getLogger(IoUringTunChannel.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    /** The most reads a channel keeps in flight ({@link TunChannelOption#READS_IN_FLIGHT}). */
    public static final int MAX_READS_IN_FLIGHT = 64;
    static final byte IORING_OP_ASYNC_CANCEL = 14;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ECANCELED = 125;
    /**
     * Netty's io_uring event loop registers its ring with {@code IORING_REGISTER_RING_FDS} on its own thread
     * when it starts, as the first ring of that thread.
     */
    private static final int EVENT_LOOP_RING_INDEX = 0;

    private final UringWrites writes = new UringWrites(this);
    private final Runnable readComplete = this::readComplete;
    private UringReader reader;
    private boolean readRequested;
    private boolean readCompletePending;
    /** Packets read since the last {@code channelReadComplete}. */
    private int readSinceComplete;
    /** Their bytes: the stats count a burst at its end, as the epoll channel's do. */
    private long bytesSinceComplete;
    /** Inside a reader's completion: a read() asked for meanwhile starts the reader after it, not in its middle. */
    private boolean inReadCompletion;
    private boolean startAfterCompletion;
    private static final int DEFAULT_MAX_MESSAGES_PER_READ = 16;
    private boolean closing;
    private boolean closed;
    private int completionsAfterClose;
    private Runnable pendingClose;

    /** Opens {@code /dev/net/tun}; the channel still has to be registered and bound. */
    public IoUringTunChannel() {
    }

    /**
     * Whether this kernel has the multishot read that the channel reads with where it can
     * ({@code IORING_OP_READ_MULTISHOT}, Linux 6.7+), asked of a short-lived ring before any event loop runs.
     *
     * @throws DeviceException if no io_uring can be set up here (see {@link IoUringProbe#kernelSupports})
     */
    public static boolean multishotReadSupported() throws DeviceException {
        return IoUringProbe.kernelSupports(MultishotReader.IORING_OP_READ_MULTISHOT);
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
        readRequested = true;
        if (inReadCompletion) {
            // channelReadComplete fired from packetRead (autoRead's read()) while the reader is between a packet
            // and its own bookkeeping (a single read's slot not yet submitted again): start it once it is done.
            startAfterCompletion = true;
            return;
        }
        if (reader == null) {
            reader = newReader();
        }
        reader.start();
    }

    /** Multishot where the option allows and the kernel has it; single reads otherwise. */
    private UringReader newReader() {
        if (config().isMultishotRead()) {
            try {
                RegisteredRing kernelRing = new RegisteredRing(EVENT_LOOP_RING_INDEX);
                if (kernelRing.supports(MultishotReader.IORING_OP_READ_MULTISHOT)) {
                    int mtu = NetInterfaces.mtu(localAddress().name());
                    PacketBufferRing ring = PacketBufferRing.open(kernelRing, eventLoop(), config().getAllocator(),
                            config().readBuffersFor(mtu), mtu);
                    try {
                        device().setNonBlocking(true);
                    } catch (IOException e) {
                        ring.close();
                        throw e;
                    }
                    return new MultishotReader(this, kernelRing, ring);
                }
                logFallback("this kernel has no multishot read (IORING_OP_READ_MULTISHOT, Linux 6.7+)");
            } catch (IOException e) {
                logFallback(e.getMessage());
            }
        }
        return newSingleReader();
    }

    private UringReader newSingleReader() {
        try {
            device().setNonBlocking(false);
        } catch (IOException e) {
            pipeline().fireExceptionCaught(e);
        }
        return new SingleReader(this);
    }

    private static void logFallback(String reason) {
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            logger.info("io_uring: reading TUN devices with single reads, not a multishot read: {}", reason);
        }
    }

    /** The multishot read turned out not to work here (and has ended): reads go on with single reads. */
    void multishotUnusable(String reason) {
        reader.close();
        logFallback(reason);
        reader = newSingleReader();
        if (closing) {
            ioMayHaveStopped();
        } else if (keepsReading()) {
            reader.start();
        }
    }

    /** A packet was read: down the pipeline, unless the channel is closing. */
    void packetRead(ByteBuf packet) {
        if (closing) {
            packet.release();
            return;
        }
        bytesSinceComplete += packet.readableBytes();
        pipeline().fireChannelRead(packet);
        if (++readSinceComplete >= maxMessagesPerRead() && config().isAutoRead()) {
            // A burst boundary, as the epoll channel makes one every maxMessagesPerRead packets: what the pipeline
            // wrote so far is flushed now rather than after every completion of the turn (a multishot read can
            // post hundreds), so a reply never waits behind a long burst of requests.
            countBurst();
            pipeline().fireChannelReadComplete();
        }
        if (!readCompletePending) {
            readCompletePending = true;
            eventLoop().execute(readComplete); // runs after this turn's completions
        }
    }

    /** The burst read since the last {@code channelReadComplete}, into the stats. */
    private void countBurst() {
        stats().read(readSinceComplete, bytesSinceComplete);
        readSinceComplete = 0;
        bytesSinceComplete = 0;
    }

    private int maxMessagesPerRead() {
        RecvByteBufAllocator a = config().getRecvByteBufAllocator();
        return a instanceof MaxMessagesRecvByteBufAllocator m ? m.maxMessagesPerRead() : DEFAULT_MAX_MESSAGES_PER_READ;
    }

    private void readComplete() {
        readCompletePending = false;
        countBurst();
        boolean autoRead = config().isAutoRead();
        if (!autoRead) {
            readRequested = false; // a read() from channelReadComplete asks for the next burst
        }
        pipeline().fireChannelReadComplete();
        if (!autoRead && !readRequested && reader != null && !closing) {
            reader.pause();
        }
    }

    private void readCompleted(IoUringIoEvent e) {
        inReadCompletion = true;
        try {
            reader.completed(e);
        } finally {
            inReadCompletion = false;
        }
        if (startAfterCompletion) {
            startAfterCompletion = false;
            if (reader != null && keepsReading()) {
                reader.start();
            }
        }
    }

    /** Whether reads should go on: the channel is open and reads automatically, or a read was asked for. */
    boolean keepsReading() {
        return isActive() && !closing && (readRequested || config().isAutoRead());
    }

    /** A read failed with {@code res} (-errno): the device cannot be read any more. */
    void readFailed(int res) {
        pipeline().fireExceptionCaught(Errors.newIOException("read", res));
        unsafe().close(unsafe().voidPromise());
    }

    boolean isClosing() {
        return closing;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (!closing) {
            writes.submit(in);
        }
    }

    /** Writes again what found every write slot taken. */
    void flushAgain() {
        ((UringUnsafe) unsafe()).flushNow();
    }

    @Override
    void mtuChanged(int mtu) {
        super.mtuChanged(mtu);
        if (isRegistered()) {
            eventLoop().execute(() -> {
                if (reader != null) {
                    reader.mtuChanged(mtu);
                }
            });
        }
    }

    static IoUringIoOps cancelOp(long id) {
        return new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L, id, 0, 0, (short) 0,
                (short) 0, (short) 0, 0, 0L);
    }

    /**
     * Closing with I/O in flight: the kernel may still write into read buffers and read from write buffers, so the
     * reads are cancelled and the actual close (descriptor, buffers, close future) runs once the last operation
     * has completed; the interface that the bind created is gone when the close future completes.
     */
    private Executor prepareToClose() {
        if (closing || registration() == null) {
            return null;
        }
        boolean reading = reader != null && reader.inFlight();
        if (!reading && writes.inFlight() == 0) {
            return null;
        }
        closing = true;
        deactivate();
        if (reading) {
            reader.cancel();
        }
        return task -> {
            pendingClose = task;
            ioMayHaveStopped();
        };
    }

    /** Runs the close that waited for the channel's operations, once none is in flight. */
    void ioMayHaveStopped() {
        if (pendingClose != null && writes.inFlight() == 0 && (reader == null || !reader.inFlight())) {
            Runnable close = pendingClose;
            pendingClose = null;
            close.run();
        }
    }

    @Override
    protected void doClose() throws Exception {
        closing = true;
        if (reader != null) {
            reader.close();
        }
        super.doClose();
        closed = true;
    }

    /** {@code multishot} or {@code single} once the channel has started reading; {@code null} before. */
    String readMode() {
        return reader == null ? null : reader.mode();
    }

    /** Completions that arrived after the channel had closed (none should), for tests. */
    int completionsAfterClose() {
        return completionsAfterClose;
    }

    /** The reader, for tests. */
    UringReader reader() {
        return reader;
    }

    private final class UringUnsafe extends AbstractUnsafe implements IoUringIoHandle {

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            if (closed) {
                // The close waits for every operation, so this does not happen; counted, for tests, if it did.
                completionsAfterClose++;
            }
            switch (e.opcode()) {
                case IovecSlots.IORING_OP_READV:
                case MultishotReader.IORING_OP_READ_MULTISHOT:
                    readCompleted(e);
                    break;
                case IovecSlots.IORING_OP_WRITEV:
                    writes.completed(e.data(), e.res());
                    if (closing) {
                        ioMayHaveStopped();
                    }
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
