package io.tunecho.proto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;

import java.util.Map;

/**
 * The last answering stage: hands each packet to the {@link ProtocolHandler} of its upper-layer protocol (ICMP,
 * ICMPv6, UDP, TCP, ...; IPv4 and IPv6 have a table each), and drops, counted as
 * {@link DropReason#UNHANDLED_PROTOCOL}, what has none. Replies are written without flushing and flushed once per
 * read burst, in {@link #channelReadComplete}.
 *
 * <p>Buffers: a packet belongs to its protocol handler, or is released here.
 */
public final class ProtocolDispatcher extends PacketHandler implements ProtocolHandler.Answer {
    private final ProtocolHandler[] ipv4 = new ProtocolHandler[256];
    private final ProtocolHandler[] ipv6 = new ProtocolHandler[256];

    /**
     * @param ipv4Handlers the handlers of IPv4 packets by protocol number
     * @param ipv6Handlers the handlers of IPv6 packets by upper-layer protocol number
     */
    public ProtocolDispatcher(PacketCounters counters, PacketContext packet,
            Map<Integer, ProtocolHandler> ipv4Handlers, Map<Integer, ProtocolHandler> ipv6Handlers) {
        super(counters, packet);
        ipv4Handlers.forEach((protocol, handler) -> ipv4[protocol] = handler);
        ipv6Handlers.forEach((protocol, handler) -> ipv6[protocol] = handler);
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        ProtocolHandler[] table = packet.ip().version() == 4 ? ipv4 : ipv6;
        ProtocolHandler handler = table[packet.ip().upperLayerProtocol()];
        if (handler == null) {
            drop(DropReason.UNHANDLED_PROTOCOL, buf);
            return;
        }
        handler.handle(ctx, buf, packet, this);
    }

    @Override
    public void drop(DropReason reason, ByteBuf buf) {
        super.drop(reason, buf);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
        super.channelReadComplete(ctx);
    }
}
