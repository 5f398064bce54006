package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A Netty {@link io.netty.channel.Channel} over a Linux TUN device, on Netty's epoll {@link IoEventLoop}
 * ({@code MultiThreadIoEventLoopGroup} with {@code EpollIoHandler.newFactory()}).
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
 * Channel ch = new Bootstrap().group(group).channel(TunChannel.class)
 *         .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse("198.18.0.1/24"))
 *         .handler(initializer)
 *         .bind(new TunAddress("tun0")).sync().channel();
 * }</pre>
 *
 * <p>Reads go into the channel's own {@link PacketPool} (one buffer per packet, of the size the
 * {@link RecvByteBufAllocator} gives, the most recently released first), or into buffers from the channel's allocator
 * when the pool's are all out or the user set an allocator or receive allocator of their own; as many per wake-up
 * as the allocator's handle allows; writes go out with one {@code write(2)} per packet; when
 * the device answers EAGAIN the channel waits for {@code EPOLLOUT}. See {@link AbstractTunChannel} for buffer
 * ownership and the life cycle.
 */
public class TunChannel extends AbstractTunChannel {
    /** The epoll events last submitted for the fd; a submit replaces the whole mask. */
    private EpollIoOps ops = EpollIoOps.NONE;
    private boolean readPending;
    /**
     * Light reading: one packet per epoll wake-up, without the read that would only return EAGAIN. Taken when
     * bursts find a single packet (ping-pong traffic: it saves one system call per packet, a quarter of the
     * syscalls); left when a probing burst, every {@link #PROBE_INTERVAL}th wake-up, finds more than one.
     * Level-triggered epoll wakes the loop again at once while packets wait, so nothing is left unread.
     */
    /** The buffers reads take first, unless the user chose the buffers ({@link TunChannelConfig#readsIntoPool}). */
    private PacketPool pool;
    private boolean lightReading;
    private int lightWakeups;
    private static final int PROBE_INTERVAL = 8;

    /** Opens {@code /dev/net/tun}; the channel still has to be registered and bound. */
    public TunChannel() {
    }

    @Override
    protected void ensureTransportAvailable() {
        Epoll.ensureAvailability();
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new TunUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop && ((IoEventLoop) loop).isCompatible(TunUnsafe.class);
    }

    @Override
    protected void registered() {
        ops = EpollIoOps.NONE; // a fresh registration has nothing armed
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        submit(ops.with(EpollIoOps.EPOLLIN));
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        FileDescriptor fd = fd();
        int packets = 0;
        long bytes = 0;
        try {
            for (;;) {
                ByteBuf buf = (ByteBuf) in.current();
                if (buf == null) {
                    submit(ops.without(EpollIoOps.EPOLLOUT));
                    return;
                }
                if (!buf.isReadable()) {
                    in.remove();
                    continue;
                }
                int written;
                try {
                    written = fd.writeAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex());
                } catch (IOException e) {
                    if (!fd.isOpen()) {
                        throw e;
                    }
                    // The kernel refused this one packet (a malformed packet, the link down, ...): fail its write
                    // and go on with the next.
                    stats().writeError();
                    in.remove(e);
                    continue;
                }
                if (written == 0) {
                    // EAGAIN: the device's queue is full. Wait for EPOLLOUT instead of spinning or dropping.
                    submit(ops.with(EpollIoOps.EPOLLOUT));
                    return;
                }
                packets++;
                bytes += written;
                in.remove();
            }
        } finally {
            stats().written(packets, bytes); // once a flush: the stats' memory is cold by the next burst
        }
    }

    /**
     * The pool that this burst reads into, made at the first burst with buffers of the size the receive allocator
     * gives (the MTU), and made again when that grows; {@code null} when the user chose the buffers.
     */
    private PacketPool pool(RecvByteBufAllocator.Handle handle, ByteBufAllocator alloc) {
        PacketPool pool = this.pool;
        if (!config().readsIntoPool()) {
            if (pool != null) {
                pool.close();
                this.pool = null;
            }
            return null;
        }
        int size = handle.guess();
        if (pool == null || pool.bufferSize() < size) {
            if (pool != null) {
                pool.close();
            }
            pool = new PacketPool(eventLoop(), alloc, PacketPool.buffersFor(size), size);
            this.pool = pool;
        }
        return pool;
    }

    /** The pool reads take from, {@code null} before the first read or when the user chose the buffers; tests. */
    PacketPool pool() {
        return pool;
    }

    private void submit(EpollIoOps newOps) {
        IoRegistration registration = registration();
        if (newOps.equals(ops) || registration == null) {
            return;
        }
        ops = newOps;
        registration.submit(newOps);
    }

    private boolean isWritePending() {
        return ops.contains(EpollIoOps.EPOLLOUT);
    }

    /** Reads packets until the device is empty or the allocator's handle says stop; one buffer per packet. */
    @SuppressWarnings("deprecation")
    private void readReady() {
        TunUnsafe unsafe = (TunUnsafe) unsafe();
        if (!isActive()) {
            submit(ops.without(EpollIoOps.EPOLLIN));
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe.recvBufAllocHandle();
        handle.reset(config());
        ChannelPipeline pipeline = pipeline();
        ByteBufAllocator alloc = config().getAllocator();
        PacketPool pool = pool(handle, alloc);
        Throwable failure = null;
        boolean eof = false;
        boolean light = lightReading && ++lightWakeups % PROBE_INTERVAL != 0;
        int packets = 0;
        long bytesRead = 0;
        boolean drained = false;
        try {
            do {
                ByteBuf buf = pool == null ? null : pool.take();
                if (buf == null) {
                    buf = handle.allocate(alloc);
                }
                int read;
                try {
                    if (!buf.hasMemoryAddress()) {
                        // The user's allocator gave a heap buffer: read(2) needs native memory.
                        ByteBuf direct = alloc.directBuffer(buf.capacity());
                        buf.release();
                        buf = direct;
                    }
                    handle.attemptedBytesRead(buf.writableBytes());
                    read = fd().readAddress(buf.memoryAddress(), buf.writerIndex(), buf.capacity());
                } catch (Throwable t) {
                    buf.release();
                    throw t;
                }
                if (read <= 0) {
                    buf.release();
                    eof = read < 0;
                    drained = true;
                    break;
                }
                packets++;
                bytesRead += read;
                buf.writerIndex(buf.writerIndex() + read);
                handle.lastBytesRead(read);
                handle.incMessagesRead(1);
                readPending = false;
                pipeline.fireChannelRead(buf);
            } while (!light && handle.continueReading());
        } catch (Throwable t) {
            failure = t;
        }
        if (!light) {
            lightReading = drained && packets <= 1;
        }
        stats().read(packets, bytesRead); // once a burst, as the writes are
        handle.readComplete();
        pipeline.fireChannelReadComplete();
        if (failure != null) {
            pipeline.fireExceptionCaught(failure);
        }
        if (eof || failure instanceof IOException) {
            // The device went away (for example the interface was deleted): nothing more can be read.
            unsafe.close(unsafe.voidPromise());
        } else if (!readPending && !config().isAutoRead()) {
            submit(ops.without(EpollIoOps.EPOLLIN));
        }
    }

    @SuppressWarnings("deprecation") // RecvByteBufAllocator.Handle: the type AbstractUnsafe still works with
    private final class TunUnsafe extends AbstractUnsafe implements EpollIoHandle {
        private RecvByteBufAllocator.Handle recvHandle;
        private RecvByteBufAllocator recvHandleSource;

        @Override
        public FileDescriptor fd() {
            return TunChannel.this.fd();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            EpollIoOps ready = ((EpollIoEvent) event).ops();
            if (ready.contains(EpollIoOps.EPOLLOUT)) {
                super.flush0(); // the device has room again: write what waited
            }
            if (ready.contains(EpollIoOps.EPOLLIN) || ready.contains(EpollIoOps.EPOLLERR)) {
                readReady();
            }
        }

        @Override
        protected void flush0() {
            if (!isWritePending()) { // else EPOLLOUT will flush
                super.flush0();
            }
        }

        @Override
        public RecvByteBufAllocator.Handle recvBufAllocHandle() {
            RecvByteBufAllocator allocator = config().getRecvByteBufAllocator();
            if (recvHandle == null || recvHandleSource != allocator) {
                recvHandle = allocator.newHandle();
                recvHandleSource = allocator;
            }
            return recvHandle;
        }

        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException(
                    "a TunChannel has no peer to connect to: bind it to a TunAddress"));
        }

        @Override
        public void close() {
            close(voidPromise());
        }
    }
}
