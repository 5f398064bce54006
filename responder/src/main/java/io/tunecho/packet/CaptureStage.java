package io.tunecho.packet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The pipeline's first stage while a capture runs: shows every packet the channel reads, and every packet it writes,
 * to a {@link PacketCapture}. It is in a channel's pipeline only while a capture runs (the responder puts it in and
 * takes it out), so that packets pay nothing for captures that are not running; a packet between a capture's stop
 * and the stage's removal costs one volatile read here.
 *
 * <p>Buffers: passed on untouched; the capture copies what it keeps.
 */
@Sharable
public final class CaptureStage extends ChannelDuplexHandler {
    private final PacketCapture capture;

    public CaptureStage(PacketCapture capture) {
        this.capture = capture;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && capture.active()) {
            capture.record((ByteBuf) msg, true);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf && capture.active()) {
            capture.record((ByteBuf) msg, false);
        }
        ctx.write(msg, promise);
    }
}
