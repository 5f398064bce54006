package io.tunecho.packet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.HostEntry;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;

/**
 * The packet now going through one channel's answering pipeline, as its stages have understood it so far: which IP
 * version and its validated header views (the IP layer), and the host that answers its destination with its
 * behaviour now and the virtual routers on the way (the hosts' policy), which the reply stage applies to what is
 * written. One instance per channel, reused for every packet: a pipeline handles one packet at a time, on its event
 * loop, so nothing here is allocated per packet. Like Linux's {@code skb->cb}, it is valid only while the packet is
 * being handled: a stage that keeps a packet for later must keep what it needs of this too.
 */
public final class PacketContext {
    private static final IpCidr[] NO_HOPS = new IpCidr[0];

    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final Ipv6Packet ipv6 = new Ipv6Packet();
    private final IcmpMessage icmp = new IcmpMessage();
    private IpPacket ip;
    /** Whether {@link #icmp} views this packet's payload yet: placed once per packet, on first use. */
    private boolean icmpPlaced;
    private HostEntry host;
    private Behaviour behaviour;
    private int replyTtl = IpPacket.DEFAULT_TTL;
    private ReplyKind writing = ReplyKind.ECHO;
    private long pathDelayNanos;
    private IpCidr[] hops = NO_HOPS;
    private int hopCount;
    private long hostKey;
    /** Where {@link #write} sends replies: the outbound stage that takes them by a call, or {@code null}: the pipeline. */
    private Output output;

    /**
     * An outbound stage that the stages' replies reach by a method call rather than a trip through the pipeline: the
     * handler next to the one that writes them, which gives its own context ({@link #output}).
     */
    public interface Output {
        /** Takes {@code reply}, owned from now on, as if it had been written through the pipeline. */
        void write(ByteBuf reply);
    }

    /** Starts a new packet: {@code buf} as IPv4 or IPv6 ({@code version}), nothing known of its host yet. */
    public void begin(int version, ByteBuf buf) {
        ip = version == Ipv4Packet.VERSION ? ipv4.wrap(buf) : ipv6.wrap(buf);
        icmpPlaced = false;
        host = null;
        behaviour = null;
        pathDelayNanos = 0;
        hopCount = 0;
    }

    /** Makes {@code buf} (a reassembled datagram) the packet, of the same version as before. */
    public void replace(ByteBuf buf) {
        ip = isIpv6() ? ipv6.wrap(buf) : ipv4.wrap(buf);
        icmpPlaced = false;
    }

    /** The packet's IP header: {@link #ipv4()} or {@link #ipv6()}. */
    public IpPacket ip() {
        return ip;
    }

    public boolean isIpv6() {
        return ip == ipv6;
    }

    /** The IPv4 view (valid when {@code ip().version() == 4}). */
    public Ipv4Packet ipv4() {
        return ipv4;
    }

    /** The IPv6 view (valid when {@code ip().version() == 6}). */
    public Ipv6Packet ipv6() {
        return ipv6;
    }

    /**
     * The packet's payload as an ICMP message (an ICMP protocol handler's view), placed on the first call for each
     * packet: a stage that moves the payload must not ask for it again.
     */
    public IcmpMessage icmp() {
        if (!icmpPlaced) {
            icmp.wrapPayloadOf(ip);
            icmpPlaced = true;
        }
        return icmp;
    }

    /** The host table entry that answers the destination ({@code null} before the hosts' stage). */
    public HostEntry host() {
        return host;
    }

    /** The destination's behaviour now ({@code null} before the hosts' stage). */
    public Behaviour behaviour() {
        return behaviour;
    }

    /**
     * The host that answers, its behaviour now and the TTL its replies carry: what the hosts' stage found.
     */
    public void answeredBy(HostEntry host, Behaviour behaviour, int replyTtl) {
        this.host = host;
        this.behaviour = behaviour;
        this.replyTtl = replyTtl;
    }

    /** The virtual routers the packet crossed on its way, nearest first (the reply crosses them back). */
    public IpCidr[] hops() {
        return hops;
    }

    public int hopCount() {
        return hopCount;
    }

    /** The virtual routers crossed ({@code count} of {@code hops}) and the delay they add, both ways. */
    public void path(IpCidr[] hops, int count, long delayNanos) {
        this.hops = hops;
        this.hopCount = count;
        this.pathDelayNanos = delayNanos;
    }

    /** The delay the virtual routers add to a reply, on top of its host's own. */
    public long pathDelayNanos() {
        return pathDelayNanos;
    }

    /** The TTL (IPv4) or hop limit (IPv6) that a reply from this destination carries. */
    public int replyTtl() {
        return replyTtl;
    }

    /**
     * Replies written with {@link #write} go straight to {@code output} (the outbound handler right before the one that
     * writes them, which calls this when it is added) rather than through the pipeline; {@code null}: through the
     * pipeline from the writer's context.
     */
    public void output(Output output) {
        this.output = output;
    }

    /** What the stage that writes now writes: {@link ReplyKind#ECHO} unless {@link #write} says otherwise. */
    public ReplyKind writing() {
        return writing;
    }

    /**
     * Writes a reply (an echo reply, an ICMP error, a TCP segment) through the outbound stages, which read its kind
     * from {@link #writing()} while it passes: to the {@link #output} when there is one, else from {@code ctx}
     * through the pipeline. Takes ownership of {@code reply}.
     */
    public void write(ChannelHandlerContext ctx, ReplyKind kind, ByteBuf reply) {
        writing = kind;
        try {
            Output o = output;
            if (o != null) {
                o.write(reply);
            } else {
                ctx.write(reply, ctx.voidPromise());
            }
        } finally {
            writing = ReplyKind.ECHO;
        }
    }

    /**
     * Writes an ICMP error of the IP layer's own (a reassembly's), which no host's behaviour shapes: the host and the
     * path are cleared first, as a timer may write between packets, when they are still the last packet's. Takes
     * ownership of {@code error}.
     */
    public void writeIpError(ChannelHandlerContext ctx, ByteBuf error) {
        host = null;
        behaviour = null;
        pathDelayNanos = 0;
        hopCount = 0;
        write(ctx, ReplyKind.ICMP_ERROR, error);
    }

    /** The answered destination's key ({@code AddressStates.ipv4Key}/{@code ipv6Key}): what the hosts' stage found. */
    public void hostKey(long key) {
        this.hostKey = key;
    }

    /** The key of the address that answers, for what later stages keep per address (a trace's position). */
    public long hostKey() {
        return hostKey;
    }
}
