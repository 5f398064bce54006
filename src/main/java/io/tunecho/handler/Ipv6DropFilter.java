package io.tunecho.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunecho.wire.Ipv6;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops IPv6 packets: the kernel sends router solicitations and MLD reports into a TUN as soon as its link is up.
 * Everything else passes on unchanged. Stateless apart from the shared counters.
 *
 * <p>Buffers: a dropped packet (or a message that is not a {@link ByteBuf}) is released here; a packet passed on
 * belongs to the next handler.
 */
@Sharable
public final class Ipv6DropFilter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Ipv6DropFilter.class);

    private final PacketCounters counters;

    public Ipv6DropFilter(PacketCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            Drops.drop(counters, DropReason.NOT_A_PACKET, msg, log);
            return;
        }
        ByteBuf packet = (ByteBuf) msg;
        if (packet.isReadable() && Ipv6.ipVersion(packet, packet.readerIndex()) == Ipv6.VERSION) {
            Drops.drop(counters, DropReason.IPV6, packet, log);
            return;
        }
        ctx.fireChannelRead(packet);
    }
}
