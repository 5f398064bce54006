package io.tunecho.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.tunecho.capture.PcapCapture;
import io.tunecho.config.ConfigException;
import io.tunecho.config.Settings;
import io.tunecho.config.TunechoConfig;
import io.tunecho.control.EventLog;
import io.tunecho.control.HostControl;
import io.tunecho.control.KernelRoutes;
import io.tunecho.drill.Alerts;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
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
    private static final int RECREATE_SECONDS = 1;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final TunechoConfig config;
    private volatile List<AbstractTunChannel> channels;
    private final TransportChoice transport;
    private final HostControl control;
    private final PacketCounters counters;
    private final Promise<Void> closed = GlobalEventExecutor.INSTANCE.newPromise();
    private final PcapCapture capture;
    private final ProbeTable probes;
    private final Alerts alerts;
    private volatile boolean stopping;
    private volatile boolean stopRequested;
    private boolean recreating;

    private TunechoServer(TunechoConfig config, EventLoopGroup group, Bootstrap bootstrap,
            List<AbstractTunChannel> channels, HostControl control, PacketCounters counters, TransportChoice transport,
            PcapCapture capture, ProbeTable probes) {
        this.config = config;
        this.probes = probes;
        this.group = group;
        this.bootstrap = bootstrap;
        this.capture = capture;
        this.transport = transport;
        this.channels = List.copyOf(channels);
        this.control = control;
        this.counters = counters;
        // only the HTTP server takes alerts: a start without one loads none of it
        this.alerts = config.httpPort() == null ? null : new Alerts(control.table(), control.events(), Clock.SYSTEM);
        watch(this.channels);
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
        ChannelRoutes routes = new ChannelRoutes(channels);
        HostControl control = new HostControl(config, initial, routes, events, Clock.SYSTEM);
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
        ProbeTable probes = new ProbeTable(config.probesMaxAddresses(), Clock.SYSTEM);
        ResponderPipeline.Builder pipeline = ResponderPipeline.builder(counters, control.table())
                .capture(capture)
                .probes(probes)
                .ipv6(config.interfaceAddress6() != null)
                .replyLimits(config.repliesPerSecond() == null ? 0 : config.repliesPerSecond(),
                        config.repliesPerSource() == null ? 0 : config.repliesPerSource(), config.queues())
                .maxDelayed(config.maxDelayed())
                .mtu(config.mtu());
        if (config.seed() != null) {
            pipeline.seed(config.seed());
        }
        ResponderPipeline responder = pipeline.build();
        TransportChoice transport = TransportChoice.of(config.transport());
        boolean uring = transport.ioUring();
        // io_uring rings with SINGLE_ISSUER and DEFER_TASKRUN where the kernel has them (Netty 4.2.18's
        // setSingleIssuer sets both or neither; both is its default): completion work runs when the loop waits.
        EventLoopGroup group = new NoTimeoutIoEventLoopGroup(config.queues(), uring
                ? IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setSingleIssuer(true))
                : EpollIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(uring ? IoUringTunChannel.class : TunChannel.class)
                .option(TunChannelOption.MTU, config.mtu())
                .option(TunChannelOption.TX_QUEUE_LENGTH, config.txQueueLength())
                .option(TunChannelOption.IPV4_ADDRESS, config.interfaceAddress())
                .option(TunChannelOption.IPV6_ADDRESS, config.interfaceAddress6())
                .option(TunChannelOption.ROUTES, initial.routesOutside(config.hostConfig().subnets()))
                .option(TunChannelOption.MULTI_QUEUE, config.queues() > 1)
                .handler(responder.initializer());
        try {
            channels.addAll(bindAll(bootstrap, config));
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
            control.close();
            capture.close();
            throw e;
        }
        control.start();
        TunechoServer server = new TunechoServer(config, group, bootstrap, channels, control, counters,
                transport, capture, probes);
        routes.channels = server::channels;
        control.executor().scheduleWithFixedDelay(server::watchLink, 1, 1, TimeUnit.SECONDS);
        return server;
    }

    /** Binds one channel per queue; on failure closes those it bound and throws the cause. */
    private static List<AbstractTunChannel> bindAll(Bootstrap bootstrap, TunechoConfig config) throws Exception {
        List<AbstractTunChannel> bound = new ArrayList<>();
        TunAddress address = new TunAddress(config.interfaceName());
        for (int queue = 0; queue < config.queues(); queue++) {
            ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                if (bind.channel().isRegistered()) { // a channel that failed in its constructor never was
                    bind.channel().close().awaitUninterruptibly();
                }
                for (AbstractTunChannel ch : bound) {
                    ch.close().awaitUninterruptibly();
                }
                Throwable cause = bind.cause();
                throw cause instanceof Exception ? (Exception) cause : new Exception(cause);
            }
            bound.add((AbstractTunChannel) bind.channel());
        }
        return bound;
    }

    /** When a channel closes: the end, unless the server re-creates its interface. */
    private void watch(List<AbstractTunChannel> generation) {
        for (AbstractTunChannel ch : generation) {
            ch.closeFuture().addListener(f -> channelClosed(generation));
        }
    }

    private synchronized void channelClosed(List<AbstractTunChannel> generation) {
        if (stopping || !config.recreateInterface()) {
            closed.trySuccess(null);
            return;
        }
        if (recreating || generation != channels) {
            return;
        }
        recreating = true;
        for (AbstractTunChannel ch : generation) {
            ch.close();
        }
        LoggerFactory.getLogger(TunechoServer.class).warn("the interface {} went away; re-creating it every {} s",
                config.interfaceName(), RECREATE_SECONDS);
        control.executor().schedule(this::recreate, RECREATE_SECONDS, TimeUnit.SECONDS);
    }

    /** On the control thread: binds the channels again (a new interface), with the routes of the hosts now. */
    private void recreate() {
        if (stopping) {
            return;
        }
        Logger log = LoggerFactory.getLogger(TunechoServer.class);
        List<AbstractTunChannel> fresh;
        try {
            fresh = bindAll(bootstrap, config);
            for (IpCidr route : control.current().routesOutside(config.hostConfig().subnets())) {
                fresh.get(0).addRoute(route);
            }
        } catch (Exception e) {
            log.debug("re-creating {} failed: {}", config.interfaceName(), e.toString());
            control.executor().schedule(this::recreate, RECREATE_SECONDS, TimeUnit.SECONDS);
            return;
        }
        synchronized (this) {
            if (stopping) {
                fresh.forEach(AbstractTunChannel::close);
                return;
            }
            channels = List.copyOf(fresh);
            recreating = false;
            watch(channels);
        }
        log.info("re-created {}: answering again", config.interfaceName());
    }

    private boolean linkDown;

    /**
     * On the control thread, once a second: whether someone took the link down (ip link set down) or up again.
     * Down, nothing reaches tunecho and the kernel removes the routes through the interface; up again, tunecho puts
     * its routes back. Each change is one log line.
     */
    private void watchLink() {
        List<AbstractTunChannel> now = channels;
        if (stopping || now.isEmpty() || !now.get(0).isActive()) {
            return;
        }
        Logger log = LoggerFactory.getLogger(TunechoServer.class);
        try {
            boolean up = now.get(0).isLinkUp();
            if (!up && !linkDown) {
                linkDown = true;
                log.warn("the interface {} went down (ip link set down?): nothing reaches tunecho until it is up again",
                        config.interfaceName());
            } else if (up && linkDown) {
                linkDown = false;
                for (IpCidr route : control.current().routesOutside(config.hostConfig().subnets())) {
                    now.get(0).addRoute(route);
                }
                log.info("the interface {} is up again: answering, its routes restored", config.interfaceName());
            }
        } catch (IOException | RuntimeException e) {
            log.debug("link watch: {}", e.toString());
        }
    }

    /** Stops answering: closes the channels (an interface that tunecho created disappears); see {@link #close()}. */
    public void stop() {
        stopRequested = true;
        stopping = true;
        for (AbstractTunChannel ch : channels) {
            ch.close();
        }
        closed.trySuccess(null);
    }

    /** Whether {@link #stop()} was called (rather than the interface going away). */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Routes into the interface through the first channel (the interface is the same for every queue). */
    private static final class ChannelRoutes implements KernelRoutes {
        private volatile java.util.function.Supplier<List<AbstractTunChannel>> channels;

        ChannelRoutes(List<AbstractTunChannel> initial) {
            this.channels = () -> initial;
        }

        @Override
        public void add(IpCidr prefix) throws IOException {
            channel().addRoute(prefix);
        }

        @Override
        public void delete(IpCidr prefix) throws IOException {
            channel().deleteRoute(prefix);
        }

        private AbstractTunChannel channel() throws IOException {
            List<AbstractTunChannel> list = channels.get();
            if (list.isEmpty() || !list.get(0).isActive()) {
                throw new IOException("the interface is not there now (being re-created?)");
            }
            return list.get(0);
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
        return transport.transport().toString();
    }

    /** The transport in use and how it was chosen, for the line that says tunecho answers. */
    TransportChoice transportChoice() {
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

    /** The alerts received (POST /api/alerts), matched to the answered addresses; {@code null} without HTTP. */
    public Alerts alerts() {
        return alerts;
    }

    public PacketCounters counters() {
        return counters;
    }

    /** The probes every answered address received. */
    public ProbeTable probes() {
        return probes;
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
        stopping = true;
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
