package io.tunecho.packet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;

/**
 * What the answering pipeline's stages share: messages that are not {@link ByteBuf}s are dropped (counted as
 * {@link DropReason#NOT_A_PACKET}), packets go to {@link #packetRead}, and {@link #drop} counts, logs at DEBUG and
 * releases a packet in one place. Each stage also sees the channel's {@link PacketContext}: the views of the packet
 * now in the pipeline, filled by the stages before it.
 *
 * <p>A stage is a handler of its own, or one of a {@link #chain}: stages that run one after the other in one
 * handler, a plain method call from each to the next instead of a trip through the pipeline. A stage passes a
 * packet on with {@link #pass}, which goes to the next stage of its chain, or to the next handler after the last.
 * The chain's handler events (added, removed, inactive, read complete) go down the chain the same way, so that
 * each stage sees them as it would alone.
 */
public abstract class PacketHandler extends ChannelInboundHandlerAdapter {
    private final Logger log = PacketLog.of(getClass());
    private final PacketCounters counters;
    protected final PacketContext packet;
    /** The stage this one passes packets to directly, or {@code null}: the pipeline's next handler. */
    private PacketHandler next;

    protected PacketHandler(PacketCounters counters, PacketContext packet) {
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

    /** Handles one IP packet; the handler owns it: {@link #pass} it on, write it, or {@link #drop} it. */
    protected abstract void packetRead(ChannelHandlerContext ctx, ByteBuf buf);

    /** Passes a packet on: to the next stage of this chain, or after the last to the pipeline's next handler. */
    protected final void pass(ChannelHandlerContext ctx, ByteBuf buf) {
        PacketHandler n = next;
        if (n != null) {
            n.packetRead(ctx, buf);
        } else {
            ctx.fireChannelRead(buf);
        }
    }

    /**
     * Makes the stages one handler, in this order: the first, which is returned, goes into the pipeline, and each
     * passes packets to the next by a method call. The stages then share the first's context: what they write goes
     * through the outbound handlers before the chain. A stage belongs to one chain, once.
     */
    public static PacketHandler chain(PacketHandler... stages) {
        for (int i = 0; i < stages.length - 1; i++) {
            if (stages[i].next != null) {
                throw new IllegalStateException(stages[i] + " is already chained");
            }
            stages[i].next = stages[i + 1];
        }
        return stages[0];
    }

    /** The stage after this one in its chain, or {@code null} when it is the last (or alone). */
    public final PacketHandler nextStage() {
        return next;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        if (next != null) {
            next.handlerAdded(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        if (next != null) {
            next.handlerRemoved(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (next != null) {
            next.channelInactive(ctx);
        } else {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (next != null) {
            next.channelReadComplete(ctx);
        } else {
            ctx.fireChannelReadComplete();
        }
    }

    /** Counts the message under {@code reason}, logs it at DEBUG and releases it. */
    protected final void drop(DropReason reason, Object msg) {
        Drops.drop(counters, log, reason, msg);
    }

    protected final PacketCounters counters() {
        return counters;
    }
}
