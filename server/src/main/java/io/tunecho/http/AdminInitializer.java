package io.tunecho.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.util.concurrent.TimeUnit;

/**
 * The handlers of one admin connection: its admission under the connection limit, the read timeout, the HTTP codec
 * (4 KiB request line, 8 KiB of headers), the {@link ConnectionActivity} the limit weighs when the server is full,
 * the aggregator that refuses bodies over {@link AdminServer#MAX_BODY} with 413, and the {@link AdminHandler} that
 * answers.
 */
final class AdminInitializer extends ChannelInitializer<Channel> {
    private final ApiRoutes routes;
    private final ConnectionLimit limit;

    AdminInitializer(ApiRoutes routes, ConnectionLimit limit) {
        this.routes = routes;
        this.limit = limit;
    }

    @Override
    protected void initChannel(Channel ch) {
        ConnectionActivity activity = new ConnectionActivity(limit);
        ch.pipeline().addLast("limit", activity.wire())
                .addLast("timeout", new ReadTimeoutHandler(AdminServer.READ_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .addLast("codec", new HttpServerCodec(4096, 8192, 8192))
                .addLast("activity", activity)
                .addLast("aggregator", new HttpObjectAggregator(AdminServer.MAX_BODY))
                .addLast("api", new AdminHandler(routes));
    }
}
