package io.tunecho.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.handler.AnswerSet;
import io.tunecho.handler.IcmpEchoHandler;
import io.tunecho.handler.Ipv4Decoder;
import io.tunecho.handler.Ipv6DropFilter;
import io.tunecho.handler.PacketCounters;
import io.tunecho.transport.AbstractTunChannel;
import io.tunecho.transport.IoUringTunChannel;
import io.tunecho.transport.NoTimeoutIoEventLoopGroup;
import io.tunecho.transport.TunAddress;
import io.tunecho.transport.TunChannel;
import io.tunecho.transport.TunChannelOption;
import io.tunecho.wire.Ipv4Cidr;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running tunecho: one TUN channel per queue of the TUN device ({@link TunChannel} on epoll, or
 * {@link IoUringTunChannel} on io_uring), each on its own event loop, all
 * with the same answering pipeline ({@link Ipv6DropFilter} → {@link Ipv4Decoder} → {@link IcmpEchoHandler}) and
 * the same counters.
 */
public final class TunechoServer implements AutoCloseable {
    private static final int CLOSE_TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;
    private final List<AbstractTunChannel> channels;
    private final String transport;
    private final AnswerSet answers;
    private final PacketCounters counters;
    private final Promise<Void> closed = GlobalEventExecutor.INSTANCE.newPromise();

    private TunechoServer(EventLoopGroup group, List<AbstractTunChannel> channels, AnswerSet answers,
            PacketCounters counters, String transport) {
        this.group = group;
        this.transport = transport;
        this.channels = List.copyOf(channels);
        this.answers = answers;
        this.counters = counters;
        for (AbstractTunChannel ch : channels) {
            ch.closeFuture().addListener(f -> closed.trySuccess(null));
        }
    }

    /** Opens and configures the interface and starts answering; fails without leaving anything behind. */
    public static TunechoServer start(TunechoConfig config) throws Exception {
        PacketCounters counters = new PacketCounters();
        AnswerSet answers = AnswerSet.forInterface(config.interfaceAddress(), config.effectiveAnswer());
        Ipv6DropFilter ipv6 = new Ipv6DropFilter(counters);
        Ipv4Decoder ipv4 = new Ipv4Decoder(counters);
        IcmpEchoHandler echo = new IcmpEchoHandler(answers, counters);
        boolean uring = config.transport() == TunechoConfig.Transport.IO_URING && ioUringUsable();
        // io_uring rings with SINGLE_ISSUER and DEFER_TASKRUN where the kernel has them (Netty 4.2.18's
        // setSingleIssuer sets both or neither; both is its default): completion work runs when the loop waits.
        EventLoopGroup group = new NoTimeoutIoEventLoopGroup(config.queues(), uring
                ? IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setSingleIssuer(true))
                : EpollIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(uring ? IoUringTunChannel.class : TunChannel.class)
                .option(TunChannelOption.MTU, config.mtu())
                .option(TunChannelOption.IPV4_ADDRESS, config.interfaceAddress())
                .option(TunChannelOption.IPV4_ROUTES, routesOutsideSubnet(config))
                .option(TunChannelOption.MULTI_QUEUE, config.queues() > 1)
                .handler(new ChannelInitializer<AbstractTunChannel>() {
                    @Override
                    protected void initChannel(AbstractTunChannel ch) {
                        ch.pipeline().addLast("ipv6", ipv6)
                                .addLast("ipv4", ipv4)
                                .addLast("echo", echo)
                                .addLast("errors", ErrorLogger.INSTANCE);
                    }
                });
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
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
                Throwable cause = bind.cause();
                throw cause instanceof Exception ? (Exception) cause : new Exception(cause);
            }
            channels.add((AbstractTunChannel) bind.channel());
        }
        return new TunechoServer(group, channels, answers, counters, uring ? "io_uring" : "epoll");
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

    /** Answer prefixes that lie outside the interface's subnet need a route into the interface. */
    static List<Ipv4Cidr> routesOutsideSubnet(TunechoConfig config) {
        Ipv4Cidr subnet = config.interfaceAddress().subnet();
        List<Ipv4Cidr> routes = new ArrayList<>();
        for (Ipv4Cidr answer : config.effectiveAnswer()) {
            boolean inside = answer.prefixLength() >= subnet.prefixLength() && subnet.contains(answer.network());
            if (!inside) {
                routes.add(answer.subnet());
            }
        }
        return routes;
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

    public AnswerSet answers() {
        return answers;
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
