package io.tunecho.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.tunecho.hosts.Clock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: metrics, health, the admin API and the lab page, on one event loop of its own (NIO: it needs no
 * native transport), apart from the packet loops. Requests are bounded: 64 KiB bodies, 10 s of silence while a
 * request is read, {@value #MAX_CONNECTIONS} connections at once (when full, a new connection closes the one idle
 * longest: see {@link ConnectionLimit}).
 */
public final class AdminServer implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024;
    static final int MAX_CONNECTIONS = 128;
    static final int READ_TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Starts listening.
     *
     * @param token the bearer token /api needs, or {@code null}
     * @throws IOException naming the address when it cannot be bound (in use, not an address of this host, ...)
     */
    public static AdminServer start(String address, int port, String token, boolean protectMetrics,
            AdminContext context) throws IOException {
        // One loop for the listener and every connection: the ConnectionLimit is that loop's alone.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ConnectionLimit limit = new ConnectionLimit(MAX_CONNECTIONS, Clock.SYSTEM);
        AdminInitializer connection = new AdminInitializer(new ApiRoutes(context, token, protectMetrics, limit),
                limit);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(connection);
        ChannelFuture bind = b.bind(new InetSocketAddress(address, port)).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            Throwable cause = bind.cause();
            throw new IOException("cannot listen on " + (address.contains(":") ? "[" + address + "]" : address) + ":"
                    + port + " for HTTP: " + cause.getMessage() + "; choose another http.port (--http ADDR:PORT)");
        }
        return new AdminServer(group, bind.channel());
    }

    /** Where it listens (the port, if 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
