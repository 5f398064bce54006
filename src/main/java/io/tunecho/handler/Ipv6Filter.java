package io.tunecho.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Drops, and counts as {@link DropReason#IPV6}, the IPv6 packets that nothing answers: all of them while tunecho
 * answers IPv4 only. The kernel sends router solicitations and MLD reports into a TUN as soon as its link is up.
 * IPv4 packets pass unchanged.
 *
 * <p>Buffers: a dropped packet is released here; a packet passed on belongs to the next stage.
 */
public final class Ipv6Filter extends PacketHandler {

    public Ipv6Filter(PacketCounters counters, PacketContext packet) {
        super(counters, packet);
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (packet.ip == packet.ipv6) {
            drop(DropReason.IPV6, buf);
            return;
        }
        ctx.fireChannelRead(buf);
    }
}
