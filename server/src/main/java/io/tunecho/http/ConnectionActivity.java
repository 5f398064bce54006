package io.tunecho.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One admin connection as {@link ConnectionLimit} weighs it: when bytes last went in or out, and whether a request is
 * in progress, from its first bytes until its response is written. Two handlers see it: {@link #wire()} at the head
 * of the pipeline asks the limit to admit the connection and notices the first bytes of a request before the codec
 * has decoded anything; this one, after the codec, counts the requests decoded and the responses written (an interim
 * {@code 100 Continue} answers nothing), so that pipelined requests keep the connection busy until the last is
 * answered.
 */
final class ConnectionActivity extends ChannelDuplexHandler {
    private final ConnectionLimit limit;
    private final ChannelHandler wire = new Wire();
    private Channel channel;
    private long lastActive;
    /** Bytes of a request have been read that the codec has not yet decoded to its end. */
    private boolean reading;
    /** Requests decoded and not yet answered. */
    private int pending;

    ConnectionActivity(ConnectionLimit limit) {
        this.limit = limit;
    }

    /** The handler for the head of the pipeline, before the codec. */
    ChannelHandler wire() {
        return wire;
    }

    long lastActive() {
        return lastActive;
    }

    boolean busy() {
        return reading || pending > 0;
    }

    void close() {
        channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            pending++;
        }
        if (msg instanceof LastHttpContent) {
            reading = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !interim && pending > 0) {
            pending--;
        }
        lastActive = limit.now();
        ctx.write(msg, promise);
    }

    /** Admission, and the bytes read before the codec. */
    private final class Wire extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            lastActive = limit.now();
            if (!limit.admit(ConnectionActivity.this)) {
                ctx.close();
                return;
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b && b.isReadable()) {
                reading = true;
                lastActive = limit.now();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            limit.closed(ConnectionActivity.this);
            ctx.fireChannelInactive();
        }
    }
}
