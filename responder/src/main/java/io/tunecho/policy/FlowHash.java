package io.tunecho.policy;

import io.tunecho.packet.PacketContext;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;

/**
 * The hashes that pick a router at a hop with a choice, as Linux's multipath hash with L4 fields
 * ({@code fib_multipath_hash_policy} 1) picks a route: a flow is the addresses, the protocol and the ports (for an
 * ICMP echo request its identifier, as Linux's ICMP flow key does; for IPv6 also the flow label, as Linux's L3 hash
 * does); a fragment, whose ports are not all there, hashes on its addresses and protocol. So a Paris traceroute,
 * which keeps its ports and identifier, takes one path, and a classic UDP traceroute, whose destination port changes
 * with every probe, takes them all. The key is fixed, so a flow takes the same path on every channel and every run.
 * Reads the packet in the {@link PacketContext}; nothing is allocated.
 */
final class FlowHash {
    private static final long KEY = 0x7475_6e65_6368_6f21L;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int SCTP = 132;

    private FlowHash() {
    }

    /** The hash of the packet's flow. */
    static long flow(PacketContext packet) {
        if (packet.isIpv6()) {
            Ipv6Packet ip = packet.ipv6();
            long h = mix(KEY ^ ip.sourceHigh());
            h = mix(h ^ ip.sourceLow());
            h = mix(h ^ ip.destinationHigh());
            h = mix(h ^ ip.destinationLow());
            int protocol = ip.upperLayerProtocol();
            long label = ip.versionClassFlow() & 0xF_FFFFL;
            return mix(h ^ (label << 40 | (long) protocol << 32 | (ip.isFragment() ? 0 : ports(packet, ip, true))));
        }
        Ipv4Packet ip = packet.ipv4();
        long h = mix(KEY ^ ((long) ip.source() << 32 | ip.destination() & 0xFFFF_FFFFL));
        int protocol = ip.protocol();
        return mix(h ^ ((long) protocol << 32 | (ip.isFragment() ? 0 : ports(packet, ip, false))));
    }

    /** The hash of the packet's destination address alone. */
    static long destination(PacketContext packet) {
        if (packet.isIpv6()) {
            return mix(mix(KEY ^ packet.ipv6().destinationHigh()) ^ packet.ipv6().destinationLow());
        }
        return mix(KEY ^ packet.ipv4().destination());
    }

    /**
     * Which of {@code n} routers the hop at {@code k} (0: the nearest) picks for {@code hash}: each hop mixes the hash
     * with its own place, as routers hash with seeds of their own, so that one hop's pick says nothing of the next's.
     */
    static int pick(long hash, int k, int n) {
        long h = mix(hash + (k + 1) * GOLDEN);
        return (int) (((h >>> 32) * n) >>> 32);
    }

    /** The ports of TCP, UDP and SCTP (source and destination, 32 bits), an ICMP echo request's identifier, or 0. */
    private static long ports(PacketContext packet, IpPacket ip, boolean v6) {
        int protocol = ip.upperLayerProtocol();
        if (protocol == TCP || protocol == UDP || protocol == SCTP) {
            return ip.upperLayerLength() >= 4 ? ip.buffer().getInt(ip.upperLayerOffset()) & 0xFFFF_FFFFL : 0;
        }
        if (protocol == (v6 ? IcmpMessage.PROTOCOL_V6 : IcmpMessage.PROTOCOL_V4)) {
            IcmpMessage icmp = packet.icmp();
            int echo = v6 ? IcmpMessage.V6.ECHO_REQUEST : IcmpMessage.V4.ECHO_REQUEST;
            return icmp.hasHeader() && icmp.type() == echo ? icmp.identifier() : 0;
        }
        return 0;
    }

    /** A 64-bit finalizer (murmur3's fmix64): every input bit changes about half of the output's. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return h;
    }
}
