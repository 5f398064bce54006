package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.tunecho.hosts.Behaviour;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.TcpSegment;
import io.tunecho.wire.UdpDatagram;

/**
 * Rewrites a host's replies on their way out, as its misbehaviour says: another source address ({@code reply-from},
 * every reply of the host: echo replies, TCP segments, ICMP errors it sends), another echo identifier
 * ({@code identifier: rewrite}) or the sequence number of the flow's previous request ({@code sequence: stale}).
 * Checksums are updated incrementally (RFC 1624): the IPv4 header's, and those that cover the pseudo-header (ICMPv6,
 * TCP, UDP) when the source changes; ICMP's when its identifier or sequence does.
 *
 * <p>The previous sequence numbers are kept per flow (source, destination, identifier) in a fixed table per channel,
 * made on first use; a flow that loses its slot to another starts afresh (its next reply carries its own sequence).
 * One instance per channel (one event loop): it allocates nothing per packet.
 */
final class ReplyRewriter {
    /** Flows whose last sequence number is remembered (a power of two). */
    static final int FLOWS = 4096;
    /** What {@code identifier: rewrite} flips: the top bit, so that the reply is never another prober's by one. */
    static final int IDENTIFIER_FLIP = 0x8000;

    private long[] flowKeys;
    private int[] lastSequences;

    /** Rewrites {@code reply} (a whole IPv4 or IPv6 packet from its reader index) in place. */
    void rewrite(ByteBuf reply, Behaviour b) {
        int at = reply.readerIndex();
        int version = reply.getUnsignedByte(at) >> 4;
        if (version == Ipv4Packet.VERSION && reply.readableBytes() >= Ipv4Packet.MIN_HEADER_LENGTH) {
            int l4 = at + (reply.getUnsignedByte(at) & 0xF) * 4;
            int protocol = reply.getUnsignedByte(at + Ipv4Packet.Field.PROTOCOL);
            if (protocol == IcmpMessage.PROTOCOL_V4 && isEcho(reply, l4, IcmpMessage.V4.ECHO_REPLY)) {
                echo(reply, l4, b, reply.getLong(at + Ipv4Packet.Field.SRC));
            }
            if (b.replyFrom() != null && b.replyFrom().isIpv4()) {
                ipv4Source(reply, at, l4, protocol, b.replyFrom().ipv4Address());
            }
        } else if (version == Ipv6Packet.VERSION && reply.readableBytes() >= Ipv6Packet.HEADER_LENGTH) {
            int l4 = at + Ipv6Packet.HEADER_LENGTH;
            int protocol = reply.getUnsignedByte(at + Ipv6Packet.Field.NEXT_HEADER);
            if (protocol == IcmpMessage.PROTOCOL_V6 && isEcho(reply, l4, IcmpMessage.V6.ECHO_REPLY)) {
                int a = at + Ipv6Packet.Field.SRC;
                echo(reply, l4, b, reply.getLong(a) * 31 ^ reply.getLong(a + 8) * 961 ^ reply.getLong(a + 16) * 29791
                        ^ reply.getLong(a + 24));
            }
            if (b.replyFrom() != null && !b.replyFrom().isIpv4()) {
                ipv6Source(reply, at, l4, protocol, b.replyFrom());
            }
        }
    }

    private static boolean isEcho(ByteBuf reply, int l4, int echoReply) {
        return reply.writerIndex() >= l4 + IcmpMessage.HEADER_LENGTH && reply.getUnsignedByte(l4) == echoReply;
    }

    /** The echo reply's identifier and sequence; {@code addresses} is a key of its two addresses. */
    private void echo(ByteBuf reply, int icmp, Behaviour b, long addresses) {
        int checksumAt = icmp + IcmpMessage.Field.CHECKSUM;
        int checksum = reply.getUnsignedShort(checksumAt);
        int idAt = icmp + IcmpMessage.Field.IDENT;
        int id = reply.getUnsignedShort(idAt);
        if (b.staleSequence()) {
            int seqAt = icmp + IcmpMessage.Field.SEQ;
            int seq = reply.getUnsignedShort(seqAt);
            int previous = previousSequence(addresses * 0x9E3779B97F4A7C15L ^ id, seq);
            reply.setShort(seqAt, previous);
            checksum = InternetChecksum.update(checksum, seq, previous);
        }
        if (b.rewritesIdentifier()) {
            int rewritten = id ^ IDENTIFIER_FLIP;
            reply.setShort(idAt, rewritten);
            checksum = InternetChecksum.update(checksum, id, rewritten);
        }
        reply.setShort(checksumAt, checksum);
    }

    /** The sequence number the flow's previous reply had ({@code seq} for its first), remembering {@code seq}. */
    private int previousSequence(long flow, int seq) {
        if (flowKeys == null) {
            flowKeys = new long[FLOWS];
            lastSequences = new int[FLOWS];
        }
        long key = flow | 1; // never 0, an empty slot's key
        int i = (int) ((key * 0xC2B2AE3D27D4EB4FL) >>> 52) & (FLOWS - 1);
        int previous = flowKeys[i] == key ? lastSequences[i] : seq;
        flowKeys[i] = key;
        lastSequences[i] = seq;
        return previous;
    }

    private static void ipv4Source(ByteBuf reply, int at, int l4, int protocol, int source) {
        int srcAt = at + Ipv4Packet.Field.SRC;
        int old = reply.getInt(srcAt);
        if (old == source) {
            return;
        }
        int oldSum = InternetChecksum.fold((old >>> 16) + (old & 0xFFFFL));
        int newSum = InternetChecksum.fold((source >>> 16) + (source & 0xFFFFL));
        reply.setInt(srcAt, source);
        int headerChecksumAt = at + Ipv4Packet.Field.CHECKSUM;
        reply.setShort(headerChecksumAt,
                InternetChecksum.update(reply.getUnsignedShort(headerChecksumAt), oldSum, newSum));
        pseudoHeaderChanged(reply, l4, protocol, oldSum, newSum);
    }

    private static void ipv6Source(ByteBuf reply, int at, int l4, int protocol, IpCidr source) {
        int srcAt = at + Ipv6Packet.Field.SRC;
        long oldHi = reply.getLong(srcAt);
        long oldLo = reply.getLong(srcAt + 8);
        if (oldHi == source.high() && oldLo == source.low()) {
            return;
        }
        int oldSum = sum(oldHi, oldLo);
        int newSum = sum(source.high(), source.low());
        reply.setLong(srcAt, source.high());
        reply.setLong(srcAt + 8, source.low());
        pseudoHeaderChanged(reply, l4, protocol, oldSum, newSum);
    }

    /** The folded sum of a 128-bit address's 16-bit words. */
    private static int sum(long hi, long lo) {
        long s = (hi >>> 32) + (hi & 0xFFFFFFFFL) + (lo >>> 32) + (lo & 0xFFFFFFFFL);
        return InternetChecksum.fold(s);
    }

    /** Updates the checksum of a message whose checksum covers the pseudo-header, after the source changed. */
    private static void pseudoHeaderChanged(ByteBuf reply, int l4, int protocol, int oldSum, int newSum) {
        int checksumAt;
        if (protocol == TcpSegment.PROTOCOL) {
            checksumAt = l4 + TcpSegment.Field.CHECKSUM;
        } else if (protocol == UdpDatagram.PROTOCOL) {
            checksumAt = l4 + UdpDatagram.Field.CHECKSUM;
        } else if (protocol == IcmpMessage.PROTOCOL_V6) {
            checksumAt = l4 + IcmpMessage.Field.CHECKSUM;
        } else {
            return; // ICMP's checksum covers the message alone
        }
        if (reply.writerIndex() < checksumAt + 2) {
            return;
        }
        int checksum = reply.getUnsignedShort(checksumAt);
        if (protocol == UdpDatagram.PROTOCOL && checksum == 0) {
            return; // an IPv4 datagram without a checksum
        }
        int updated = InternetChecksum.update(checksum, oldSum, newSum);
        reply.setShort(checksumAt, protocol == UdpDatagram.PROTOCOL && updated == 0 ? 0xFFFF : updated);
    }
}
