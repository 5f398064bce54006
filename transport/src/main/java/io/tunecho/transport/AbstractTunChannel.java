package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelId;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.ReferenceCountUtil;
import io.tunecho.device.NetInterfaces;
import io.tunecho.device.TunDevice;
import io.tunecho.wire.IpCidr;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.SocketAddress;

/**
 * What a Netty channel over a TUN device is, whatever the event loop's I/O mechanism: the device, its
 * configuration from {@link TunChannelOption}s at bind time, the life cycle and the addresses. Subclasses move the
 * packets: {@link TunChannel} with epoll, {@link IoUringTunChannel} with io_uring.
 *
 * <p>Every inbound message is a {@link ByteBuf} holding exactly one IP packet (the receiver releases it); every
 * outbound message must be a {@link ByteBuf} holding exactly one IP packet (the channel releases it once written).
 * Constructing the channel opens {@code /dev/net/tun}; binding to a {@link TunAddress} creates the interface (or
 * attaches to an existing one) and configures it; closing the channel closes the descriptor, which removes an
 * interface that the bind created.
 */
public abstract class AbstractTunChannel extends AbstractChannel {
    /**
     * The most packets a channel gives back to Netty's recyclers in one go: a flushed read burst on epoll, a turn's
     * write completions on io_uring (at most {@link UringWrites#MAX_IN_FLIGHT}). Netty's recyclers keep a batch of
     * 32 objects per thread ({@code io.netty.recycler.chunkSize}) and pass the rest through a queue that allocates
     * as it goes; with the system property at least this large, the echo path allocates nothing. The server sets
     * it; an application that embeds the channel sets it when it starts, before Netty's classes load.
     */
    public static final int RECYCLER_BATCH = UringWrites.MAX_IN_FLIGHT;
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 64);

    private final TunChannelConfig config;
    private final TunDevice device;
    private final FileDescriptor fd;
    private final TunChannelStats stats = new TunChannelStats();

    private IoRegistration registration;
    private volatile TunAddress localAddress;
    private volatile boolean active;

    protected AbstractTunChannel() {
        super(null);
        this.device = openDevice();
        this.fd = new DeviceFileDescriptor(device);
        this.config = new TunChannelConfig(this);
    }

    private TunDevice openDevice() {
        ensureTransportAvailable();
        try {
            return TunDevice.open();
        } catch (IOException e) {
            throw new ChannelException(e.getMessage(), e);
        }
    }

    @Override
    protected ChannelId newId() {
        return TunChannelId.next();
    }

    /** Throws if the native transport this channel needs cannot be used here. */
    protected abstract void ensureTransportAvailable();

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

    /** Packets and bytes this channel read and wrote. */
    public TunChannelStats stats() {
        return stats;
    }

    /** The device's descriptor, for the subclass's reads and writes. */
    protected final FileDescriptor fd() {
        return fd;
    }

    protected final TunDevice device() {
        return device;
    }

    /** The event-loop registration, or {@code null} while not registered. */
    protected final IoRegistration registration() {
        return registration;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((IoHandle) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                registered();
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    /** Called on the event loop once registered, before the registration promise completes. */
    protected void registered() {
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
            throw new IllegalArgumentException("a TUN channel binds to a TunAddress, not " + address);
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
        Integer txQueueLength = config.getTxQueueLength();
        if (txQueueLength != null) {
            NetInterfaces.setTxQueueLength(name, txQueueLength);
        }
        IpCidr address = config.getIpv4Address();
        if (address != null) {
            NetInterfaces.setIpv4Address(name, (Inet4Address) address.inetAddress(), address.prefixLength());
        }
        if (config.isLinkUp()) {
            NetInterfaces.setUp(name);
        }
        IpCidr address6 = config.getIpv6Address();
        if (address6 != null) {
            NetInterfaces.addIpv6Address(name, (Inet6Address) address6.inetAddress(), address6.prefixLength());
        }
        for (IpCidr route : config.getRoutes()) {
            route(name, route, true);
        }
    }

    private static void route(String name, IpCidr route, boolean add) throws IOException {
        IpCidr net = route.subnet();
        if (net.isIpv4()) {
            if (add) {
                NetInterfaces.addRoute(name, (Inet4Address) net.inetAddress(), net.prefixLength());
            } else {
                NetInterfaces.deleteRoute(name, (Inet4Address) net.inetAddress(), net.prefixLength());
            }
        } else if (add) {
            NetInterfaces.addIpv6Route(name, (Inet6Address) net.inetAddress(), net.prefixLength());
        } else {
            NetInterfaces.deleteIpv6Route(name, (Inet6Address) net.inetAddress(), net.prefixLength());
        }
    }

    /**
     * Routes a prefix into the bound interface now (for addresses answered outside its subnet); a route that is
     * there already is fine. IPv4 or IPv6.
     *
     * @throws IOException naming the interface and the error (no permission, the interface went away, ...)
     */
    public void addRoute(IpCidr prefix) throws IOException {
        requireBound();
        route(localAddress.name(), prefix, true);
    }

    /** Whether the bound interface's link is up (an administrator may take it down under the channel). */
    public boolean isLinkUp() throws IOException {
        requireBound();
        return NetInterfaces.isUp(localAddress.name());
    }

    /** Removes a route into the bound interface; one that is not there is fine. */
    public void deleteRoute(IpCidr prefix) throws IOException {
        requireBound();
        route(localAddress.name(), prefix, false);
    }

    private void requireBound() {
        if (!isActive()) {
            throw new IllegalStateException("the channel is not bound to an interface");
        }
    }

    /** Called by the config when {@link TunChannelOption#MTU} changes. */
    void mtuChanged(int mtu) {
        if (isActive()) {
            try {
                NetInterfaces.setMtu(localAddress.name(), mtu);
            } catch (IOException e) {
                throw new ChannelException(e.getMessage(), e);
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

    /** Marks the channel inactive without closing the descriptor yet (for transports with I/O still in flight). */
    protected final void deactivate() {
        active = false;
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (!(msg instanceof ByteBuf)) {
            throw new UnsupportedOperationException("a TUN channel writes ByteBufs holding one IP packet each, not "
                    + msg.getClass().getName());
        }
        ByteBuf buf = (ByteBuf) msg;
        if (buf.hasMemoryAddress() && buf.nioBufferCount() == 1) {
            return buf;
        }
        // One write carries one packet, from one contiguous native region.
        ByteBuf direct = alloc().directBuffer(buf.readableBytes());
        direct.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
        ReferenceCountUtil.safeRelease(buf);
        return direct;
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
