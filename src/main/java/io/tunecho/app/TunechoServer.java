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
import io.tunecho.app.config.Settings;
import io.tunecho.app.config.Transport;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.control.EventLog;
import io.tunecho.control.HostControl;
import io.tunecho.control.PcapCapture;
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
    private final HostControl control;
    private final PacketCounters counters;
    private final Promise<Void> closed = GlobalEventExecutor.INSTANCE.newPromise();
    private final ResponderPipeline responder;
    private final PcapCapture capture;

    private TunechoServer(EventLoopGroup group, List<AbstractTunChannel> channels, HostControl control,
            PacketCounters counters, String transport, ResponderPipeline responder, PcapCapture capture) {
        this.responder = responder;
        this.capture = capture;
        this.group = group;
        this.transport = transport;
        this.channels = List.copyOf(channels);
        this.control = control;
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
        HostTable initial = hostTable(config, null);
        List<AbstractTunChannel> channels = new ArrayList<>();
        EventLog events;
        try {
            events = new EventLog(config.eventsKeep(), config.eventsFile());
        } catch (IOException e) {
            throw new ConfigException(config.label(Settings.EVENTS_FILE) + " " + config.eventsFile()
                    + " cannot be opened for appending: " + e.getMessage());
        }
        HostControl control = new HostControl(config, initial, new ChannelRoutes(channels), events, Clock.SYSTEM);
        PcapCapture capture = new PcapCapture();
        if (config.captureFile() != null) {
            try {
                capture.start(config.captureFile(), config.captureMaxSize());
            } catch (IOException e) {
                control.close();
                throw new ConfigException(config.label(Settings.CAPTURE_FILE) + " " + config.captureFile()
                        + " cannot be created: " + e.getMessage());
            }
        }
        ResponderPipeline.Builder pipeline = ResponderPipeline.builder(counters, control.table())
                .capture(capture)
                .maxDelayed(config.maxDelayed());
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
                .option(TunChannelOption.ROUTES, initial.routesOutside(config.interfaceAddress()))
                .option(TunChannelOption.MULTI_QUEUE, config.queues() > 1)
                .handler(responder.initializer());
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
                control.close();
                capture.close();
                Throwable cause = bind.cause();
                throw cause instanceof Exception ? (Exception) cause : new Exception(cause);
            }
            channels.add((AbstractTunChannel) bind.channel());
        }
        control.start();
        return new TunechoServer(group, channels, control, counters, uring ? "io_uring" : "epoll", responder, capture);
    }

    /** Routes into the interface through the first channel (the interface is the same for every queue). */
    private static final class ChannelRoutes implements HostControl.Routes {
        private final List<AbstractTunChannel> channels;

        ChannelRoutes(List<AbstractTunChannel> channels) {
            this.channels = channels;
        }

        @Override
        public void add(IpCidr prefix) throws IOException {
            channels.get(0).addRoute(prefix);
        }

        @Override
        public void delete(IpCidr prefix) throws IOException {
            channels.get(0).deleteRoute(prefix);
        }
    }

    /**
     * Applies a new configuration while answering (see {@link HostControl#reload}).
     *
     * @return one line that says what is in force now
     * @throws ConfigException why the configuration was refused; nothing changed
     */
    public String reload(TunechoConfig next) throws ConfigException {
        return control.reload(next);
    }

    /** What changes the hosts while running: reloads, the admin API's overrides, the event record. */
    public HostControl control() {
        return control;
    }

    /** The configuration in force. */
    public TunechoConfig config() {
        return control.config();
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
        return control.current();
    }

    /** The packet capture (running or not). */
    public PcapCapture capture() {
        return capture;
    }

    /** The pipeline blueprint the channels run (its stages hold the per-channel state). */
    public ResponderPipeline responder() {
        return responder;
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
        control.close();
        capture.close();
    }
}
