package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.SlotTable;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.TcpSegment;
import io.tunecho.wire.UdpDatagram;
import io.tunecho.wire.UpperLayerView;

/**
 * Rewrites a host's replies on their way out, as its misbehaviour says: another source address ({@code reply-from},
 * every reply of the host: echo replies, TCP segments, ICMP errors it sends), another echo identifier
 * ({@code identifier: rewrite}) or the sequence number of the flow's previous request ({@code sequence: stale}).
 * Checksums are updated incrementally (RFC 1624): the IPv4 header's, and those that cover the pseudo-header (ICMPv6,
 * TCP, UDP) when the source changes; ICMP's when its identifier or sequence does.
 *
 * <p>The reply is read and written through the wire views, one of each per instance. The previous sequence numbers
 * are kept per flow (source, destination, identifier) in a fixed {@link SlotTable} per channel, made on first use; a
 * flow that loses its slot to others starts afresh (its next reply carries its own sequence). One instance per
 * channel (one event loop): it allocates nothing per packet.
 */
final class ReplyRewriter {
    /** Flows whose last sequence number is remembered (a power of two), and the slots each may take. */
    static final int FLOWS = 4096;
    private static final int FLOW_PROBES = 4;
    /** What {@code identifier: rewrite} flips: the top bit, so that the reply is never another prober's by one. */
    static final int IDENTIFIER_FLIP = 0x8000;

    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final Ipv6Packet ipv6 = new Ipv6Packet();
    private final IcmpMessage icmp = new IcmpMessage();
    private final TcpSegment tcp = new TcpSegment();
    private final UdpDatagram udp = new UdpDatagram();
    private final SlotTable flows = new SlotTable(FLOWS, FLOW_PROBES);
    private int[] lastSequences;

    /**
     * Rewrites {@code reply} (a whole IPv4 or IPv6 packet from its reader index) in place. An IPv6 packet whose
     * headers do not parse is left as it is.
     */
    void rewrite(ByteBuf reply, Behaviour b) {
        if (!reply.isReadable()) {
            return;
        }
        int version = reply.getUnsignedByte(reply.readerIndex()) >> 4;
        IpCidr from = b.replyFrom();
        if (version == Ipv4Packet.VERSION && reply.readableBytes() >= Ipv4Packet.MIN_HEADER_LENGTH) {
            Ipv4Packet ip = ipv4.wrap(reply);
            if (isEchoReply(ip, IcmpMessage.PROTOCOL_V4, IcmpMessage.V4.ECHO_REPLY)) {
                echo(b, AddressStates.ipv4Key(ip.source()), AddressStates.ipv4Key(ip.destination()));
            }
            if (from != null && from.isIpv4()) {
                ipv4Source(ip, from.ipv4Address());
            }
        } else if (version == Ipv6Packet.VERSION && ipv6.wrap(reply).check() == null) {
            Ipv6Packet ip = ipv6;
            if (isEchoReply(ip, IcmpMessage.PROTOCOL_V6, IcmpMessage.V6.ECHO_REPLY)) {
                echo(b, AddressStates.ipv6Key(ip.sourceHigh(), ip.sourceLow()),
                        AddressStates.ipv6Key(ip.destinationHigh(), ip.destinationLow()));
            }
            if (from != null && !from.isIpv4()) {
                ipv6Source(ip, from);
            }
        }
    }

    /** Whether {@code ip} carries an echo reply with its whole header; if so, {@link #icmp} views it. */
    private boolean isEchoReply(IpPacket ip, int protocol, int echoReply) {
        return ip.upperLayerProtocol() == protocol && holds(ip, icmp.wrapPayloadOf(ip), IcmpMessage.HEADER_LENGTH)
                && icmp.type() == echoReply;
    }

    /**
     * Whether the first {@code bytes} of the upper-layer message that {@code view} shows of {@code ip} are in the
     * buffer: the IPv4 header is not checked as a whole, so a reply shorter than its total length says is guarded
     * here.
     */
    private static boolean holds(IpPacket ip, UpperLayerView view, int bytes) {
        return view.length() >= bytes && view.offset() + bytes <= ip.buffer().writerIndex();
    }

    /** The identifier and sequence of the echo reply that {@link #icmp} views; the addresses are its flow's keys. */
    private void echo(Behaviour b, long source, long destination) {
        int checksum = icmp.checksum();
        int id = icmp.identifier();
        if (b.staleSequence()) {
            int seq = icmp.sequence();
            int previous = previousSequence(AddressStates.pairKey(source, destination ^ (long) id << 40), seq);
            icmp.setSequence(previous);
            checksum = InternetChecksum.update(checksum, seq, previous);
        }
        if (b.rewritesIdentifier()) {
            int rewritten = id ^ IDENTIFIER_FLIP;
            icmp.setIdentifier(rewritten);
            checksum = InternetChecksum.update(checksum, id, rewritten);
        }
        icmp.setChecksum(checksum);
    }

    /** The sequence number the flow's previous reply had ({@code seq} for its first), remembering {@code seq}. */
    private int previousSequence(long flow, int seq) {
        int slot = flows.slot(flow);
        int[] last = lastSequences;
        if (last == null) {
            last = lastSequences = new int[FLOWS];
        }
        int previous = flows.claimed() ? seq : last[slot];
        last[slot] = seq;
        return previous;
    }

    private void ipv4Source(Ipv4Packet ip, int source) {
        if (ip.source() == source) {
            return;
        }
        int oldSum = addressesSum(ip);
        ip.setSource(source);
        int newSum = addressesSum(ip);
        ip.setChecksum(InternetChecksum.update(ip.checksum(), oldSum, newSum));
        pseudoHeaderChanged(ip, oldSum, newSum);
    }

    private void ipv6Source(Ipv6Packet ip, IpCidr source) {
        if (ip.sourceHigh() == source.high() && ip.sourceLow() == source.low()) {
            return;
        }
        int oldSum = addressesSum(ip);
        ip.setSource(source.high(), source.low());
        pseudoHeaderChanged(ip, oldSum, addressesSum(ip));
    }

    /**
     * The folded sum of the packet's addresses, through its pseudo-header's sum: a change of source changes the IPv4
     * header's checksum and every pseudo-header checksum by the difference of two of these.
     */
    private static int addressesSum(IpPacket ip) {
        return InternetChecksum.fold(ip.pseudoHeaderSum(0, 0));
    }

    /** Updates the checksum of a message whose checksum covers the pseudo-header, after the source changed. */
    private void pseudoHeaderChanged(IpPacket ip, int oldSum, int newSum) {
        int protocol = ip.upperLayerProtocol();
        UpperLayerView message;
        if (protocol == TcpSegment.PROTOCOL) {
            message = tcp.wrapPayloadOf(ip);
            if (!holds(ip, message, TcpSegment.Field.CHECKSUM + 2)) {
                return;
            }
        } else if (protocol == UdpDatagram.PROTOCOL) {
            message = udp.wrapPayloadOf(ip);
            if (!holds(ip, message, UdpDatagram.Field.CHECKSUM + 2) || message.checksum() == 0) {
                return; // too short, or an IPv4 datagram without a checksum
            }
        } else if (protocol == IcmpMessage.PROTOCOL_V6) {
            message = icmp.wrapPayloadOf(ip);
            if (!holds(ip, message, IcmpMessage.Field.CHECKSUM + 2)) {
                return;
            }
        } else {
            return; // ICMP's checksum covers the message alone
        }
        int updated = InternetChecksum.update(message.checksum(), oldSum, newSum);
        message.setChecksum(protocol == UdpDatagram.PROTOCOL && updated == 0 ? 0xFFFF : updated);
    }
}
