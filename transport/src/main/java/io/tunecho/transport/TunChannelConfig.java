package io.tunecho.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Mtu;

import java.util.List;
import java.util.Map;

/**
 * The configuration of a {@link TunChannel}: Netty's usual options plus {@link TunChannelOption}s.
 *
 * <p>Unless the user sets a {@link RecvByteBufAllocator} of their own, reads use one buffer of exactly the
 * interface MTU per packet ({@link FixedRecvByteBufAllocator}), and a read burst goes on until the device is empty
 * or {@code maxMessagesPerRead} packets were read: a short read says nothing about whether more packets wait.
 */
public final class TunChannelConfig extends DefaultChannelConfig {
    /** The longest transmit queue tunecho sets. */
    public static final int MAX_TX_QUEUE_LENGTH = 1_000_000;
    private static final int DEFAULT_BUFFER_SIZE = 1500;
    static final int DEFAULT_READ_BUFFERS = 256;

    private final AbstractTunChannel channel;
    private volatile Integer mtu;
    private volatile IpCidr ipv4Address;
    private volatile IpCidr ipv6Address;
    private volatile Integer txQueueLength;
    private volatile List<IpCidr> routes = List.of();
    private volatile boolean linkUp = true;
    private volatile boolean multiQueue;
    private volatile int readsInFlight = 1;
    private volatile boolean multishotRead = true;
    private volatile int readBuffers = DEFAULT_READ_BUFFERS;
    private volatile boolean readBuffersSet;
    private volatile boolean userAllocator;
    private volatile boolean userBufferAllocator;

    TunChannelConfig(AbstractTunChannel channel) {
        super(channel, packetAllocator(DEFAULT_BUFFER_SIZE));
        this.channel = channel;
        userAllocator = false; // DefaultChannelConfig's constructor sets its allocator through our override
    }

    static RecvByteBufAllocator packetAllocator(int bufferSize) {
        return new FixedRecvByteBufAllocator(bufferSize).respectMaybeMoreData(false);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), TunChannelOption.MTU, TunChannelOption.IPV4_ADDRESS,
                TunChannelOption.IPV6_ADDRESS, TunChannelOption.TX_QUEUE_LENGTH,
                TunChannelOption.ROUTES, TunChannelOption.LINK_UP, TunChannelOption.MULTI_QUEUE,
                TunChannelOption.READS_IN_FLIGHT, TunChannelOption.MULTISHOT_READ, TunChannelOption.READ_BUFFERS);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == TunChannelOption.MTU) {
            return (T) mtu;
        }
        if (option == TunChannelOption.IPV4_ADDRESS) {
            return (T) ipv4Address;
        }
        if (option == TunChannelOption.IPV6_ADDRESS) {
            return (T) ipv6Address;
        }
        if (option == TunChannelOption.TX_QUEUE_LENGTH) {
            return (T) txQueueLength;
        }
        if (option == TunChannelOption.ROUTES) {
            return (T) routes;
        }
        if (option == TunChannelOption.LINK_UP) {
            return (T) Boolean.valueOf(linkUp);
        }
        if (option == TunChannelOption.MULTI_QUEUE) {
            return (T) Boolean.valueOf(multiQueue);
        }
        if (option == TunChannelOption.READS_IN_FLIGHT) {
            return (T) Integer.valueOf(readsInFlight);
        }
        if (option == TunChannelOption.MULTISHOT_READ) {
            return (T) Boolean.valueOf(multishotRead);
        }
        if (option == TunChannelOption.READ_BUFFERS) {
            return (T) Integer.valueOf(readBuffers);
        }
        return super.getOption(option);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == TunChannelOption.MTU) {
            setMtu((Integer) value);
        } else if (option == TunChannelOption.IPV4_ADDRESS) {
            setIpv4Address((IpCidr) value);
        } else if (option == TunChannelOption.IPV6_ADDRESS) {
            setIpv6Address((IpCidr) value);
        } else if (option == TunChannelOption.TX_QUEUE_LENGTH) {
            setTxQueueLength((Integer) value);
        } else if (option == TunChannelOption.ROUTES) {
            setRoutes((List<IpCidr>) value);
        } else if (option == TunChannelOption.LINK_UP) {
            setLinkUp((Boolean) value);
        } else if (option == TunChannelOption.MULTI_QUEUE) {
            setMultiQueue((Boolean) value);
        } else if (option == TunChannelOption.READS_IN_FLIGHT) {
            setReadsInFlight((Integer) value);
        } else if (option == TunChannelOption.MULTISHOT_READ) {
            setMultishotRead((Boolean) value);
        } else if (option == TunChannelOption.READ_BUFFERS) {
            setReadBuffers((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** The MTU set through {@link TunChannelOption#MTU}, or {@code null} when the interface keeps its own. */
    public Integer getMtu() {
        return mtu;
    }

    public TunChannelConfig setMtu(Integer mtu) {
        if (mtu != null && (mtu < Mtu.MIN || mtu > Mtu.MAX)) {
            throw new IllegalArgumentException("MTU must be " + Mtu.MIN + ".." + Mtu.MAX + ": " + mtu);
        }
        this.mtu = mtu;
        if (mtu != null) {
            channel.mtuChanged(mtu);
        }
        return this;
    }

    public IpCidr getIpv4Address() {
        return ipv4Address;
    }

    public TunChannelConfig setIpv4Address(IpCidr address) {
        if (address != null && !address.isIpv4()) {
            throw new IllegalArgumentException("IPV4_ADDRESS must be an IPv4 address, not " + address);
        }
        this.ipv4Address = address;
        return this;
    }

    public IpCidr getIpv6Address() {
        return ipv6Address;
    }

    public TunChannelConfig setIpv6Address(IpCidr address) {
        if (address != null && !address.isIpv6()) {
            throw new IllegalArgumentException("IPV6_ADDRESS must be an IPv6 address, not " + address);
        }
        this.ipv6Address = address;
        return this;
    }

    public Integer getTxQueueLength() {
        return txQueueLength;
    }

    public TunChannelConfig setTxQueueLength(Integer length) {
        if (length != null && (length < 1 || length > MAX_TX_QUEUE_LENGTH)) {
            throw new IllegalArgumentException("the transmit queue length must be 1.." + MAX_TX_QUEUE_LENGTH + ": "
                    + length);
        }
        this.txQueueLength = length;
        return this;
    }

    /** {@link TunChannelOption#ROUTES}. */
    public List<IpCidr> getRoutes() {
        return routes;
    }

    public TunChannelConfig setRoutes(List<IpCidr> routes) {
        this.routes = routes == null ? List.of() : List.copyOf(routes);
        return this;
    }

    public boolean isLinkUp() {
        return linkUp;
    }

    public TunChannelConfig setLinkUp(boolean linkUp) {
        this.linkUp = linkUp;
        return this;
    }

    public boolean isMultiQueue() {
        return multiQueue;
    }

    public TunChannelConfig setMultiQueue(boolean multiQueue) {
        this.multiQueue = multiQueue;
        return this;
    }

    /** {@link TunChannelOption#READS_IN_FLIGHT}: used by {@link IoUringTunChannel}, ignored by {@link TunChannel}. */
    public int getReadsInFlight() {
        return readsInFlight;
    }

    public TunChannelConfig setReadsInFlight(int reads) {
        if (reads < 1 || reads > IoUringTunChannel.MAX_READS_IN_FLIGHT) {
            throw new IllegalArgumentException(
                    "reads in flight must be 1.." + IoUringTunChannel.MAX_READS_IN_FLIGHT + ": " + reads);
        }
        this.readsInFlight = reads;
        return this;
    }

    /** {@link TunChannelOption#MULTISHOT_READ}: used by {@link IoUringTunChannel}, ignored by {@link TunChannel}. */
    public boolean isMultishotRead() {
        return multishotRead;
    }

    public TunChannelConfig setMultishotRead(boolean multishotRead) {
        this.multishotRead = multishotRead;
        return this;
    }

    /** {@link TunChannelOption#READ_BUFFERS}: used by {@link IoUringTunChannel}, ignored by {@link TunChannel}. */
    public int getReadBuffers() {
        return readBuffers;
    }

    public TunChannelConfig setReadBuffers(int buffers) {
        if (buffers < 1 || buffers > PacketBufferRing.MAX_BUFFERS || Integer.bitCount(buffers) != 1) {
            throw new IllegalArgumentException(
                    "read buffers must be a power of two, 1.." + PacketBufferRing.MAX_BUFFERS + ": " + buffers);
        }
        this.readBuffers = buffers;
        this.readBuffersSet = true;
        return this;
    }

    /**
     * How many buffers of {@code bufferSize} bytes an io_uring buffer ring gets: what {@link #setReadBuffers} set,
     * or by default {@value #DEFAULT_READ_BUFFERS}, fewer for a large MTU (see {@link PacketBufferRing#defaultBuffers}).
     */
    int readBuffersFor(int bufferSize) {
        return readBuffersSet ? readBuffers : PacketBufferRing.defaultBuffers(bufferSize, readBuffers);
    }

    @Override
    public TunChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        userAllocator = true;
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public TunChannelConfig setAllocator(ByteBufAllocator allocator) {
        userBufferAllocator = true;
        super.setAllocator(allocator);
        return this;
    }

    /**
     * Whether the epoll channel reads into its own {@link PacketPool}: unless the user chose the buffers, with an
     * allocator ({@link io.netty.channel.ChannelOption#ALLOCATOR}) or a receive allocator of their own.
     */
    boolean readsIntoPool() {
        return !userAllocator && !userBufferAllocator;
    }

    /** Sizes the default receive buffers for packets of up to {@code mtu} bytes; a user's allocator is kept. */
    void sizeBuffersFor(int mtu) {
        if (!userAllocator) {
            int maxMessages = ((MaxMessagesRecvByteBufAllocator) getRecvByteBufAllocator()).maxMessagesPerRead();
            super.setRecvByteBufAllocator(new FixedRecvByteBufAllocator(mtu)
                    .respectMaybeMoreData(false)
                    .maxMessagesPerRead(maxMessages));
        }
    }
}
