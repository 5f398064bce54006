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
import io.tunecho.app.config.ConfigException;
import io.tunecho.app.config.Setting;
import io.tunecho.app.config.Settings;
import io.tunecho.app.config.Transport;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.handler.PacketCounters;
import io.tunecho.handler.ResponderPipeline;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostTable;
import io.tunecho.transport.AbstractTunChannel;
import io.tunecho.transport.IoUringTunChannel;
import io.tunecho.transport.NoTimeoutIoEventLoopGroup;
import io.tunecho.transport.TunAddress;
import io.tunecho.transport.TunChannel;
import io.tunecho.transport.TunChannelOption;
import io.tunecho.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
    private volatile TunechoConfig config;

    /** Settings that a running server cannot change: they shape the interface or the event loops. */
    private static final List<Setting<?>> RESTART_SETTINGS = List.of(Settings.INTERFACE_NAME,
            Settings.INTERFACE_ADDRESS, Settings.INTERFACE_MTU, Settings.INTERFACE_QUEUES, Settings.TRANSPORT,
            Settings.SEED, Settings.MAX_DELAYED);

    private TunechoServer(EventLoopGroup group, List<AbstractTunChannel> channels, AtomicReference<HostTable> hosts,
            PacketCounters counters, String transport, TunechoConfig config) {
        this.config = config;
        this.group = group;
        this.transport = transport;
        this.channels = List.copyOf(channels);
        this.hosts = hosts;
        this.counters = counters;
        for (AbstractTunChannel ch : channels) {
            ch.closeFuture().addListener(f -> closed.trySuccess(null));
        }
    }

    /**
     * The host table that a configuration describes, carrying over the counters and timeline phases of
     * {@code previous}.
     *
     * @throws ConfigException naming the entry at fault (an undefined profile, an unreachable host without an
     *                         answered gateway, ...)
     */
    static HostTable hostTable(TunechoConfig config, HostTable previous) throws ConfigException {
        try {
            return HostTable.build(config.hostConfig(), previous, Clock.SYSTEM);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Opens and configures the interface and starts answering; fails without leaving anything behind. */
    public static TunechoServer start(TunechoConfig config) throws Exception {
        PacketCounters counters = new PacketCounters();
        AtomicReference<HostTable> hosts = new AtomicReference<>(hostTable(config, null));
        ResponderPipeline.Builder pipeline = ResponderPipeline.builder(counters, hosts::get)
                .maxDelayed(config.maxDelayed())
                .mtu(config.mtu());
        if (config.seed() != null) {
            pipeline.seed(config.seed());
        }
        ResponderPipeline responder = pipeline.build();
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
        return new TunechoServer(group, channels, hosts, counters, uring ? "io_uring" : "epoll", config);
    }

    /**
     * Applies a new configuration while answering: the host table (entries, profiles, timelines) is replaced at
     * once, for the next packet; counters and the phase of unchanged timelines carry over, and replies held for a
     * delay go out as scheduled. Routes follow the host entries. A configuration that changes what needs a new
     * interface or new event loops (name, address, MTU, queues, transport, seed, max-delayed) is refused whole,
     * as is one that does not validate: the running configuration stays.
     *
     * @return one line that says what changed
     * @throws ConfigException why the configuration was refused; nothing changed
     */
    public synchronized String reload(TunechoConfig next) throws ConfigException {
        TunechoConfig now = config;
        List<String> restart = new ArrayList<>();
        for (Setting<?> s : RESTART_SETTINGS) {
            if (!java.util.Objects.equals(now.get(s), next.get(s))) {
                restart.add(s.key());
            }
        }
        if (!restart.isEmpty()) {
            throw new ConfigException(String.join(", ", restart) + (restart.size() == 1 ? " changed" : " changed")
                    + ": that needs a restart; nothing was changed");
        }
        HostTable old = hosts.get();
        HostTable table = hostTable(next, old);
        IpCidr subnet = next.interfaceAddress().subnet();
        List<IpCidr> before = old.routesOutside(subnet);
        List<IpCidr> after = table.routesOutside(subnet);
        AbstractTunChannel ch = channel();
        List<IpCidr> added = new ArrayList<>();
        try {
            for (IpCidr r : after) {
                if (!before.contains(r)) {
                    ch.addRoute(r);
                    added.add(r);
                }
            }
        } catch (IOException e) {
            for (IpCidr r : added) {
                deleteRouteQuietly(ch, r);
            }
            throw new ConfigException("cannot route the new host entries into " + next.interfaceName() + ": "
                    + e.getMessage() + "; nothing was changed");
        }
        hosts.set(table);
        config = next;
        for (IpCidr r : before) {
            if (!after.contains(r)) {
                deleteRouteQuietly(ch, r);
            }
        }
        return table.toString();
    }

    private static void deleteRouteQuietly(AbstractTunChannel ch, IpCidr route) {
        try {
            ch.deleteRoute(route);
        } catch (IOException e) {
            LoggerFactory.getLogger(TunechoServer.class).warn("cannot remove the route to {}: {}", route,
                    e.getMessage());
        }
    }

    /** The configuration in force. */
    public TunechoConfig config() {
        return config;
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
