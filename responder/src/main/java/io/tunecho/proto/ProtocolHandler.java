package io.tunecho.proto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;

/**
 * Answers the packets of one upper-layer protocol, for {@link ProtocolDispatcher}: ICMP echo
 * ({@link IcmpEchoResponder}), UDP ({@link UdpResponder}) or TCP ({@link TcpResponder}). It runs on the channel's
 * event loop with a packet that the stages before it validated and that a virtual host answers
 * ({@link PacketContext#host()}).
 *
 * <p>Buffers: the handler owns the packet: it writes it (as the reply, built in place) through {@code ctx} without
 * flushing, or drops it through {@link Answer#drop}. Replies are counted where they leave (the reply stage,
 * {@code ReplyShaper}).
 */
public interface ProtocolHandler {
    void handle(ChannelHandlerContext ctx, ByteBuf buf, PacketContext packet, Answer answer);

    /** What a protocol handler may do with a packet besides writing it. */
    interface Answer {
        /** Counts the packet as dropped for {@code reason}, logs it at DEBUG and releases it. */
        void drop(DropReason reason, ByteBuf buf);
    }
}
