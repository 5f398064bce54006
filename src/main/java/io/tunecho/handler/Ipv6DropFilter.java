package io.tunecho.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.wire.Ipv6;

/**
 * Drops IPv6 packets: the kernel sends router solicitations and MLD reports into a TUN as soon as its link is up.
 * Everything else passes on unchanged. Stateless apart from the shared counters.
 *
 * <p>Buffers: a dropped packet (or a message that is not a {@link ByteBuf}) is released here; a packet passed on
 * belongs to the next handler.
 */
@Sharable
public final class Ipv6DropFilter extends PacketHandler {

    public Ipv6DropFilter(PacketCounters counters) {
        super(counters);
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf packet) {
        if (packet.isReadable() && Ipv6.ipVersion(packet, packet.readerIndex()) == Ipv6.VERSION) {
            drop(DropReason.IPV6, packet);
            return;
        }
        ctx.fireChannelRead(packet);
    }
}
