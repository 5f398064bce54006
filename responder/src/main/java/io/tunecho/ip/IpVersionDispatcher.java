package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;

/**
 * The first stage: reads the IP version nibble and points the {@link PacketContext} at the matching header view,
 * for the version's validator further on. A TUN without packet information carries nothing but IPv4 and IPv6; an
 * empty packet or another version is dropped here.
 *
 * <p>Buffers: a dropped packet is released here; a packet passed on belongs to the next stage.
 */
public final class IpVersionDispatcher extends PacketHandler {

    public IpVersionDispatcher(PacketCounters counters, PacketContext packet) {
        super(counters, packet);
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (!buf.isReadable()) {
            drop(DropReason.TRUNCATED, buf);
            return;
        }
        int version = buf.getUnsignedByte(buf.readerIndex()) >> 4;
        if (version != 4 && version != 6) {
            drop(DropReason.BAD_VERSION, buf);
            return;
        }
        packet.begin(version, buf);
        pass(ctx, buf);
    }
}
