package io.tunecho.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpAddresses;
import io.tunecho.wire.Ipv4Packet;

import java.util.function.Supplier;

/**
 * Decides whether a virtual host is at the packet's destination: looks the destination up in the {@link HostTable}
 * (longest prefix match) and puts the entry into the {@link PacketContext} for the protocol handlers. Drops what no
 * host would accept: destinations that are broadcast or multicast (Linux ignores echo requests to those), not
 * answered, or a subnet's network address; and sources that a host treats as martians once it knows its subnets
 * (a subnet's broadcast address, or the destination's own address).
 *
 * <p>The table is read through a {@link Supplier} for each packet, so that a new configuration takes effect with
 * the next packet.
 *
 * <p>Buffers: a dropped packet is released here; a packet passed on belongs to the next stage.
 */
public final class HostLookup extends PacketHandler {
    private final Supplier<HostTable> hosts;

    public HostLookup(PacketCounters counters, PacketContext packet, Supplier<HostTable> hosts) {
        super(counters, packet);
        this.hosts = hosts;
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (packet.ip != packet.ipv4) {
            drop(DropReason.IPV6, buf); // no IPv6 host yet
            return;
        }
        Ipv4Packet ip = packet.ipv4;
        int dst = ip.destination();
        int src = ip.source();
        if (IpAddresses.isIpv4Multicast(dst) || dst == IpAddresses.IPV4_LIMITED_BROADCAST) {
            drop(DropReason.BROADCAST_OR_MULTICAST, buf);
            return;
        }
        HostTable table = hosts.get();
        HostEntry entry = table.lookupIpv4(dst);
        if (entry == null) {
            drop(DropReason.NOT_ANSWERED, buf);
            return;
        }
        if (!entry.isHost()) {
            drop(entry.role() == HostEntry.Role.BROADCAST ? DropReason.BROADCAST_OR_MULTICAST
                    : DropReason.NOT_ANSWERED, buf);
            return;
        }
        if (src == dst || isBroadcast(table.lookupIpv4(src))) {
            drop(DropReason.BAD_SOURCE, buf);
            return;
        }
        packet.host = entry;
        packet.replyTtl = IcmpEchoResponder.DEFAULT_TTL;
        ctx.fireChannelRead(buf);
    }

    private static boolean isBroadcast(HostEntry e) {
        return e != null && e.role() == HostEntry.Role.BROADCAST;
    }
}
