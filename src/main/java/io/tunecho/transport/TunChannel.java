package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelMetadata;
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
import io.netty.util.ReferenceCountUtil;
import io.tunecho.device.TunDevice;
import io.tunecho.device.NetInterfaces;
import io.tunecho.wire.Ipv4Cidr;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A Netty {@link io.netty.channel.Channel} over a Linux TUN device, on Netty's epoll {@link IoEventLoop}.
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
 * Channel ch = new Bootstrap().group(group).channel(TunChannel.class)
 *         .option(TunChannelOption.IPV4_ADDRESS, Ipv4Cidr.parse("198.18.0.1/24"))
 *         .handler(initializer)
 *         .bind(new TunAddress("tun0")).sync().channel();
 * }</pre>
 *
 * <p>Every inbound message is a {@link ByteBuf} holding exactly one IP packet, read into a (pooled, direct) buffer
 * from the channel's {@link RecvByteBufAllocator}; the receiver owns it and must release it. Every outbound message
 * must be a {@link ByteBuf} holding exactly one IP packet; the channel releases it once written. The channel knows
 * nothing about what is inside a packet.
 *
 * <p>Life cycle: constructing the channel opens {@code /dev/net/tun}; binding to a {@link TunAddress} creates the
 * interface (or attaches to an existing one) and configures it from the {@link TunChannelOption}s; closing the
 * channel closes the file descriptor, which makes an interface that the bind created disappear.
 */
public class TunChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 64);

    private final TunChannelConfig config;
    private final TunDevice device;
    private final FileDescriptor fd;

    private IoRegistration registration;
    /** The epoll events last submitted for the fd; a submit replaces the whole mask. */
    private EpollIoOps ops = EpollIoOps.NONE;
    private volatile TunAddress localAddress;
    private volatile boolean active;
    private boolean readPending;
    /**
     * Light reading: one packet per epoll wake-up, without the read that would only return EAGAIN. Taken when
     * bursts find a single packet (ping-pong traffic: it saves one system call per packet, a third of the
     * syscalls); left when a probing burst, every {@link #PROBE_INTERVAL}th wake-up, finds more than one.
     * Level-triggered epoll wakes the loop again at once while packets wait, so nothing is left unread.
     */
    private boolean lightReading;
    private int lightWakeups;
    private static final int PROBE_INTERVAL = 8;

    /** Opens {@code /dev/net/tun}; the channel still has to be registered and bound. */
    public TunChannel() {
        this(openDevice());
    }

    private TunChannel(TunDevice device) {
        super(null);
        this.device = device;
        this.fd = new DeviceFileDescriptor(device);
        this.config = new TunChannelConfig(this);
    }

    private static TunDevice openDevice() {
        Epoll.ensureAvailability();
        try {
            return TunDevice.open();
        } catch (IOException e) {
            throw new io.netty.channel.ChannelException(e.getMessage(), e);
        }
    }

    @Override
    public TunChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public boolean isActive() {
        return active && fd.isOpen();
    }

    /** Whether the bind created the interface (it disappears on close) rather than attaching to an existing one. */
    public boolean createdInterface() {
        return device.created();
    }

    @Override
    public TunAddress localAddress() {
        return (TunAddress) super.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    @Override
    protected SocketAddress localAddress0() {
        return localAddress;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
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
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((TunUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                ops = EpollIoOps.NONE;
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doDeregister() {
        IoRegistration registration = this.registration;
        if (registration != null) {
            this.registration = null;
            registration.cancel();
        }
    }

    @Override
    protected void doBind(SocketAddress address) throws Exception {
        if (!(address instanceof TunAddress)) {
            throw new IllegalArgumentException("a TunChannel binds to a TunAddress, not " + address);
        }
        device.attach(((TunAddress) address).name(), config.isMultiQueue());
        String name = device.name();
        configureInterface(name);
        localAddress = new TunAddress(name);
        active = true;
    }

    private void configureInterface(String name) throws IOException {
        Integer mtu = config.getMtu();
        if (mtu != null) {
            NetInterfaces.setMtu(name, mtu);
        } else {
            mtu = NetInterfaces.mtu(name);
        }
        config.sizeBuffersFor(mtu);
        Ipv4Cidr address = config.getIpv4Address();
        if (address != null) {
            NetInterfaces.setIpv4Address(name, address.inetAddress(), address.prefixLength());
        }
        if (config.isLinkUp()) {
            NetInterfaces.setUp(name);
        }
        for (Ipv4Cidr route : config.getIpv4Routes()) {
            NetInterfaces.addRoute(name, Ipv4Cidr.toInetAddress(route.network()), route.prefixLength());
        }
    }

    /** Called by the config when {@link TunChannelOption#MTU} changes. */
    void mtuChanged(int mtu) {
        if (isActive()) {
            try {
                NetInterfaces.setMtu(localAddress.name(), mtu);
            } catch (IOException e) {
                throw new io.netty.channel.ChannelException(e.getMessage(), e);
            }
            config.sizeBuffersFor(mtu);
        }
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() throws Exception {
        active = false;
        fd.close();
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        submit(ops.with(EpollIoOps.EPOLLIN));
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (!(msg instanceof ByteBuf)) {
            throw new UnsupportedOperationException("a TunChannel writes ByteBufs holding one IP packet each, not "
                    + msg.getClass().getName());
        }
        ByteBuf buf = (ByteBuf) msg;
        if (buf.hasMemoryAddress() && buf.nioBufferCount() == 1) {
            return buf;
        }
        // One write(2) carries one packet, from one contiguous native region.
        ByteBuf direct = alloc().directBuffer(buf.readableBytes());
        direct.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
        ReferenceCountUtil.safeRelease(buf);
        return direct;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
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
                in.remove(e);
                continue;
            }
            if (written == 0) {
                // EAGAIN: the device's queue is full. Wait for EPOLLOUT instead of spinning or dropping.
                submit(ops.with(EpollIoOps.EPOLLOUT));
                return;
            }
            in.remove();
        }
    }

    private void submit(EpollIoOps newOps) {
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
        handle.reset(config);
        ChannelPipeline pipeline = pipeline();
        ByteBufAllocator alloc = config.getAllocator();
        Throwable failure = null;
        boolean eof = false;
        boolean light = lightReading && ++lightWakeups % PROBE_INTERVAL != 0;
        int packets = 0;
        boolean drained = false;
        try {
            do {
                ByteBuf buf = handle.allocate(alloc);
                int read;
                try {
                    if (!buf.hasMemoryAddress()) {
                        // The user's allocator gave a heap buffer: read(2) needs native memory.
                        ByteBuf direct = alloc.directBuffer(buf.capacity());
                        buf.release();
                        buf = direct;
                    }
                    handle.attemptedBytesRead(buf.writableBytes());
                    read = fd.readAddress(buf.memoryAddress(), buf.writerIndex(), buf.capacity());
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
        handle.readComplete();
        pipeline.fireChannelReadComplete();
        if (failure != null) {
            pipeline.fireExceptionCaught(failure);
        }
        if (eof || failure instanceof IOException) {
            // The device went away (for example the interface was deleted): nothing more can be read.
            unsafe.close(unsafe.voidPromise());
        } else if (!readPending && !config.isAutoRead()) {
            submit(ops.without(EpollIoOps.EPOLLIN));
        }
    }

    @SuppressWarnings("deprecation") // RecvByteBufAllocator.Handle: the type AbstractUnsafe still works with
    private final class TunUnsafe extends AbstractUnsafe implements EpollIoHandle {
        private RecvByteBufAllocator.Handle recvHandle;
        private RecvByteBufAllocator recvHandleSource;

        @Override
        public FileDescriptor fd() {
            return fd;
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
            RecvByteBufAllocator allocator = config.getRecvByteBufAllocator();
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

    /** The device's descriptor as Netty sees it: closing it closes the device, exactly once. */
    private static final class DeviceFileDescriptor extends FileDescriptor {
        private final TunDevice device;

        DeviceFileDescriptor(TunDevice device) {
            super(device.fd());
            this.device = device;
        }

        @Override
        public boolean isOpen() {
            return device.isOpen();
        }

        @Override
        public void close() throws IOException {
            device.close();
        }
    }
}
