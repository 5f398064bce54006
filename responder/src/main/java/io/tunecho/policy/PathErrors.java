package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tunecho.packet.PacketContext;
import io.tunecho.wire.IcmpErrors;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;

/**
 * The ICMP errors that an address on a host's path sends in the host's place, about the packet in the
 * {@link PacketContext}: time exceeded in transit from a router (RFC 792, RFC 4443 3.3), destination host
 * unreachable from the host's gateway. Each quotes the packet and is a new buffer; IPv4 errors take their
 * identifications from one counter per channel.
 */
final class PathErrors {
    private final PacketContext packet;
    private int errorId;

    /** @param firstId the first IPv4 identification (random, as a host's are) */
    PathErrors(PacketContext packet, int firstId) {
        this.packet = packet;
        this.errorId = firstId;
    }

    /**
     * Time exceeded in transit from {@code router}, which got the packet with TTL {@code ttlThere}: the error quotes
     * the packet as the router received it, and leaves with TTL {@code ttl}.
     */
    ByteBuf timeExceeded(ByteBufAllocator alloc, IpCidr router, int ttlThere, int ttl) {
        if (router.isIpv4()) {
            Ipv4Packet ip = packet.ipv4();
            ip.setTtlAndUpdateChecksum(ttlThere);
            return IcmpErrors.ipv4(alloc, ip, router.ipv4Address(), IcmpMessage.V4.TIME_EXCEEDED, 0, 0, ttl,
                    nextId());
        }
        packet.ipv6().setHopLimit(ttlThere);
        return IcmpErrors.ipv6(alloc, packet.ipv6(), router.high(), router.low(), IcmpMessage.V6.TIME_EXCEEDED, 0, 0,
                ttl);
    }

    /**
     * Destination host unreachable from {@code gateway}, as a router reports a host that no longer answers its
     * neighbour discovery; the error leaves with TTL {@code ttl}.
     */
    ByteBuf hostUnreachable(ByteBufAllocator alloc, IpCidr gateway, int ttl) {
        if (gateway.isIpv4()) {
            return IcmpErrors.ipv4(alloc, packet.ipv4(), gateway.ipv4Address(), IcmpMessage.V4.DESTINATION_UNREACHABLE,
                    IcmpErrors.CODE_HOST_UNREACHABLE, 0, ttl, nextId());
        }
        return IcmpErrors.ipv6(alloc, packet.ipv6(), gateway.high(), gateway.low(),
                IcmpMessage.V6.DESTINATION_UNREACHABLE, IcmpErrors.CODE_V6_ADDRESS_UNREACHABLE, 0, ttl);
    }

    private int nextId() {
        return errorId++ & 0xFFFF;
    }
}
