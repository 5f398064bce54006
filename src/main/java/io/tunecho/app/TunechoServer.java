package io.tunecho.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.Future;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.handler.AnswerSet;
import io.tunecho.handler.IcmpEchoHandler;
import io.tunecho.handler.Ipv4Decoder;
import io.tunecho.handler.Ipv6DropFilter;
import io.tunecho.handler.PacketCounters;
import io.tunecho.transport.TunAddress;
import io.tunecho.transport.TunChannel;
import io.tunecho.transport.TunChannelOption;
import io.tunecho.wire.Ipv4Cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running tunecho: one {@link TunChannel} on an epoll event loop, with the answering pipeline
 * ({@link Ipv6DropFilter} → {@link Ipv4Decoder} → {@link IcmpEchoHandler}).
 */
public final class TunechoServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final TunChannel channel;
    private final AnswerSet answers;
    private final PacketCounters counters;

    private TunechoServer(EventLoopGroup group, TunChannel channel, AnswerSet answers, PacketCounters counters) {
        this.group = group;
        this.channel = channel;
        this.answers = answers;
        this.counters = counters;
    }

    /** Opens and configures the interface and starts answering; fails without leaving anything behind. */
    public static TunechoServer start(TunechoConfig config) throws Exception {
        PacketCounters counters = new PacketCounters();
        AnswerSet answers = AnswerSet.forInterface(config.interfaceAddress(), config.effectiveAnswer());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(TunChannel.class)
                .option(TunChannelOption.MTU, config.mtu())
                .option(TunChannelOption.IPV4_ADDRESS, config.interfaceAddress())
                .option(TunChannelOption.IPV4_ROUTES, routesOutsideSubnet(config))
                .handler(new ChannelInitializer<TunChannel>() {
                    @Override
                    protected void initChannel(TunChannel ch) {
                        ch.pipeline().addLast("ipv6", new Ipv6DropFilter(counters))
                                .addLast("ipv4", new Ipv4Decoder(counters))
                                .addLast("echo", new IcmpEchoHandler(answers, counters))
                                .addLast("errors", ErrorLogger.INSTANCE);
                    }
                });
        Future<?> bind = bootstrap.bind(new TunAddress(config.interfaceName())).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            Channel ch = ((io.netty.channel.ChannelFuture) bind).channel();
            if (ch != null && ch.isRegistered()) { // a channel that failed in its constructor never was
                ch.close().awaitUninterruptibly();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            Throwable cause = bind.cause();
            throw cause instanceof Exception ? (Exception) cause : new Exception(cause);
        }
        return new TunechoServer(group, (TunChannel) ((io.netty.channel.ChannelFuture) bind).channel(), answers,
                counters);
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

    public TunChannel channel() {
        return channel;
    }

    public AnswerSet answers() {
        return answers;
    }

    public PacketCounters counters() {
        return counters;
    }

    /** Completes when the channel has closed: after {@link #close()}, or when the device went away. */
    public Future<Void> closeFuture() {
        return channel.closeFuture();
    }

    /** Closes the channel (an interface it created disappears) and stops the event loop. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
