package io.tunecho.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.tunecho.app.config.Transport;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.handler.PacketCounters;
import io.tunecho.handler.ResponderPipeline;
import io.tunecho.hosts.HostTable;
import io.tunecho.transport.AbstractTunChannel;
import io.tunecho.transport.IoUringTunChannel;
import io.tunecho.transport.NoTimeoutIoEventLoopGroup;
import io.tunecho.transport.TunAddress;
import io.tunecho.transport.TunChannel;
import io.tunecho.transport.TunChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running tunecho: one TUN channel per queue of the TUN device ({@link TunChannel} on epoll, or
 * {@link IoUringTunChannel} on io_uring), each on its own event loop, all with the answering pipeline that
 * {@link ResponderPipeline} builds, sharing its counters and host table.
 */
public final class TunechoServer implements AutoCloseable {
    private static final int CLOSE_TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;
    private final List<AbstractTunChannel> channels;
    private final String transport;
    private final AtomicReference<HostTable> hosts;
    private final PacketCounters counters;
    private final Promise<Void> closed = GlobalEventExecutor.INSTANCE.newPromise();

    private TunechoServer(EventLoopGroup group, List<AbstractTunChannel> channels, AtomicReference<HostTable> hosts,
            PacketCounters counters, String transport) {
        this.group = group;
        this.transport = transport;
        this.channels = List.copyOf(channels);
        this.hosts = hosts;
        this.counters = counters;
        for (AbstractTunChannel ch : channels) {
            ch.closeFuture().addListener(f -> closed.trySuccess(null));
        }
    }

    /** The host table that a configuration describes. */
    static HostTable hostTable(TunechoConfig config) {
        return HostTable.forInterface(config.interfaceAddress(), config.answer());
    }

    /** Opens and configures the interface and starts answering; fails without leaving anything behind. */
    public static TunechoServer start(TunechoConfig config) throws Exception {
        PacketCounters counters = new PacketCounters();
        AtomicReference<HostTable> hosts = new AtomicReference<>(hostTable(config));
        ResponderPipeline responder = ResponderPipeline.builder(counters, hosts::get).build();
        boolean uring = config.transport() == Transport.IO_URING && ioUringUsable();
        EventLoopGroup group = new NoTimeoutIoEventLoopGroup(config.queues(),
                uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(uring ? IoUringTunChannel.class : TunChannel.class)
                .option(TunChannelOption.MTU, config.mtu())
                .option(TunChannelOption.IPV4_ADDRESS, config.interfaceAddress())
                .option(TunChannelOption.ROUTES, hosts.get().routesOutside(config.interfaceAddress()))
                .option(TunChannelOption.MULTI_QUEUE, config.queues() > 1)
                .handler(responder.initializer());
        List<AbstractTunChannel> channels = new ArrayList<>();
        TunAddress address = new TunAddress(config.interfaceName());
        for (int queue = 0; queue < config.queues(); queue++) {
            ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                if (bind.channel().isRegistered()) { // a channel that failed in its constructor never was
                    bind.channel().close().awaitUninterruptibly();
                }
                for (AbstractTunChannel ch : channels) {
                    ch.close().awaitUninterruptibly();
                }
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS);
                Throwable cause = bind.cause();
                throw cause instanceof Exception ? (Exception) cause : new Exception(cause);
            }
            channels.add((AbstractTunChannel) bind.channel());
        }
        return new TunechoServer(group, channels, hosts, counters, uring ? "io_uring" : "epoll");
    }

    private static boolean ioUringUsable() {
        if (IoUring.isAvailable()) {
            return true;
        }
        Throwable cause = IoUring.unavailabilityCause();
        LoggerFactory.getLogger(TunechoServer.class).warn("io_uring is not available here ({}); using epoll",
                cause == null ? "unknown reason" : cause.getMessage());
        return false;
    }

    /** The channel of the first queue (the one whose bind created the interface, if it was created). */
    public AbstractTunChannel channel() {
        return channels.get(0);
    }

    /** One channel per queue. */
    public List<AbstractTunChannel> channels() {
        return channels;
    }

    /** The I/O mechanism in use: {@code epoll} or {@code io_uring}. */
    public String transport() {
        return transport;
    }

    /** The host table in use now. */
    public HostTable hosts() {
        return hosts.get();
    }

    public PacketCounters counters() {
        return counters;
    }

    /** Completes when a channel has closed: after {@link #close()}, or when the device went away. */
    public Future<Void> closeFuture() {
        return closed;
    }

    /**
     * Closes the channels (an interface that tunecho created disappears) and stops the event loops. Waits a bounded
     * time: a stop that a service manager asked for must end the process even if an event loop cannot finish (an
     * event loop that died of an {@link Error} while stopping never completes its group's termination).
     */
    @Override
    public void close() {
        Logger log = LoggerFactory.getLogger(TunechoServer.class);
        for (AbstractTunChannel ch : channels) {
            if (!ch.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("{} did not close within {} s", ch, CLOSE_TIMEOUT_SECONDS);
            }
        }
        if (!group.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            log.warn("the event loops did not stop within {} s", CLOSE_TIMEOUT_SECONDS);
        }
    }
}
