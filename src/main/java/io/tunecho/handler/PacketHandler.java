package io.tunecho.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the answering pipeline's stages share: messages that are not {@link ByteBuf}s are dropped (counted as
 * {@link DropReason#NOT_A_PACKET}), packets go to {@link #packetRead}, and {@link #drop} counts, logs at DEBUG and
 * releases a packet in one place. Each stage also sees the channel's {@link PacketContext}: the views of the packet
 * now in the pipeline, filled by the stages before it.
 */
abstract class PacketHandler extends ChannelInboundHandlerAdapter {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final PacketCounters counters;
    protected final PacketContext packet;

    PacketHandler(PacketCounters counters, PacketContext packet) {
        this.counters = counters;
        this.packet = packet;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            packetRead(ctx, (ByteBuf) msg);
        } else {
            drop(DropReason.NOT_A_PACKET, msg);
        }
    }

    /** Handles one IP packet; the handler owns it: pass it on, write it, or {@link #drop} it. */
    protected abstract void packetRead(ChannelHandlerContext ctx, ByteBuf buf);

    /** Counts the message under {@code reason}, logs it at DEBUG and releases it. */
    protected final void drop(DropReason reason, Object msg) {
        Drops.drop(counters, log, reason, msg);
    }

    protected final PacketCounters counters() {
        return counters;
    }
}
