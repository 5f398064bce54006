package io.tunecho.handler;

import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.HostEntry;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;

/**
 * The packet now going through one channel's answering pipeline, as its stages have understood it so far: which IP
 * version (set by {@link IpVersionDispatcher}), its validated header views (the version's validator), and the host
 * entry that answers its destination with its behaviour now ({@link HostLookup}), which {@link ReplyShaper} applies
 * to the replies. One instance per channel, reused for every packet: a
 * pipeline handles one packet at a time, on its event loop, so nothing here is allocated per packet. Like Linux's
 * {@code skb->cb}, it is valid only while the packet is being handled: a stage that keeps a packet for later must
 * keep what it needs of this too.
 */
public final class PacketContext {
    final Ipv4Packet ipv4 = new Ipv4Packet();
    final Ipv6Packet ipv6 = new Ipv6Packet();
    final IcmpMessage icmp = new IcmpMessage();
    IpPacket ip;
    HostEntry host;
    Behaviour behaviour;
    int replyTtl = IcmpEchoResponder.DEFAULT_TTL;
    /** What the stage that writes now writes: set around the write of anything but an echo reply. */
    ReplyKind writing = ReplyKind.ECHO;
    /** The delay of the virtual routers between the prober and the host that answers, both ways. */
    long pathDelayNanos;
    /** The virtual routers the packet crossed to reach its destination, nearest first ({@link #hopCount} of them). */
    IpCidr[] hops = NO_HOPS;
    int hopCount;

    private static final IpCidr[] NO_HOPS = new IpCidr[0];

    /** The packet's IP header: {@link #ipv4()} or {@link #ipv6()}. */
    public IpPacket ip() {
        return ip;
    }

    /** The IPv4 view (valid when {@code ip().version() == 4}). */
    public Ipv4Packet ipv4() {
        return ipv4;
    }

    /** The IPv6 view (valid when {@code ip().version() == 6}). */
    public Ipv6Packet ipv6() {
        return ipv6;
    }

    /** The packet's payload as an ICMP message (an ICMP protocol handler's view). */
    public IcmpMessage icmp() {
        return icmp.wrapPayloadOf(ip);
    }

    /** The host table entry that answers the destination. */
    public HostEntry host() {
        return host;
    }

    /** The destination's behaviour now ({@code null} before the host stage). */
    public Behaviour behaviour() {
        return behaviour;
    }

    /** The virtual routers the packet crossed on its way, nearest first (the reply crosses them back). */
    public IpCidr[] hops() {
        return hops;
    }

    public int hopCount() {
        return hopCount;
    }

    /** The delay the virtual routers add to a reply, on top of its host's own. */
    public long pathDelayNanos() {
        return pathDelayNanos;
    }

    /** The TTL (IPv4) or hop limit (IPv6) that a reply from this destination carries. */
    public int replyTtl() {
        return replyTtl;
    }
}
