package io.tunecho.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.wire.Icmpv4;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.Ipv4;

/**
 * Answers ICMP echo requests to the addresses of an {@link AnswerSet}, in place: the request's own buffer becomes
 * the echo reply (addresses swapped, TTL {@value #REPLY_TTL}, type 0, identifier, sequence and payload untouched,
 * both checksums updated incrementally per RFC 1624) and is written back. IP options of the request are not
 * echoed: the fixed header moves forward over them, so the payload stays where it is. Replies are flushed once per
 * read burst, in {@link #channelReadComplete}.
 *
 * <p>Expects packets that {@link Ipv4Decoder} validated. Drops, counted by {@link DropReason}: other protocols,
 * short or corrupt ICMP, ICMP other than echo request, requests to broadcast or multicast addresses, from sources
 * that are not unicast, or to addresses not answered.
 *
 * <p>Buffers: every packet read here is either written (the channel releases it) or released here.
 */
@Sharable
public final class IcmpEchoHandler extends PacketHandler {
    static final int REPLY_TTL = 64;

    private final AnswerSet answers;

    public IcmpEchoHandler(AnswerSet answers, PacketCounters counters) {
        super(counters);
        this.answers = answers;
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf packet) {
        DropReason refused = refusal(packet);
        if (refused != null) {
            drop(refused, packet);
            return;
        }
        toEchoReply(packet);
        counters().replied();
        ctx.write(packet, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /** Why this packet gets no answer, or {@code null} if it is an echo request to answer. */
    private DropReason refusal(ByteBuf packet) {
        int ip = packet.readerIndex();
        if (Ipv4.protocol(packet, ip) != Ipv4.PROTOCOL_ICMP) {
            return DropReason.NOT_ICMP;
        }
        int icmp = ip + Ipv4.headerLength(packet, ip);
        int icmpLength = packet.writerIndex() - icmp;
        if (icmpLength < Icmpv4.HEADER_LENGTH) {
            return DropReason.ICMP_TRUNCATED;
        }
        if (Icmpv4.type(packet, icmp) != Icmpv4.ECHO_REQUEST || Icmpv4.code(packet, icmp) != 0) {
            return DropReason.NOT_ECHO_REQUEST;
        }
        int dst = Ipv4.destination(packet, ip);
        if (Ipv4.isMulticast(dst) || dst == Ipv4.LIMITED_BROADCAST || answers.isSubnetBroadcast(dst)) {
            return DropReason.BROADCAST_OR_MULTICAST;
        }
        if (!Ipv4.isUnicastSource(Ipv4.source(packet, ip))) {
            return DropReason.BAD_SOURCE;
        }
        if (!answers.contains(dst)) {
            return DropReason.NOT_ANSWERED;
        }
        if (!InternetChecksum.isValid(packet, icmp, icmpLength)) {
            return DropReason.BAD_ICMP_CHECKSUM;
        }
        return null;
    }

    /** Rewrites a valid echo request into its reply, in the same buffer. */
    private static void toEchoReply(ByteBuf packet) {
        int ip = packet.readerIndex();
        int headerLength = Ipv4.headerLength(packet, ip);
        int icmp = ip + headerLength;

        // ICMP: type 8 -> 0. The word at offset 0 is type << 8 | code, and code is 0.
        int icmpSum = Icmpv4.checksum(packet, icmp);
        Icmpv4.setType(packet, icmp, Icmpv4.ECHO_REPLY);
        Icmpv4.setChecksum(packet, icmp, InternetChecksum.update(icmpSum, Icmpv4.ECHO_REQUEST << 8, 0));

        int src = Ipv4.source(packet, ip);
        int dst = Ipv4.destination(packet, ip);
        if (headerLength > Ipv4.MIN_HEADER_LENGTH) {
            // Drop the options: move the fixed header forward so that it ends where the ICMP message starts.
            int fixed = icmp - Ipv4.MIN_HEADER_LENGTH;
            packet.setBytes(fixed, packet, ip, Ipv4.MIN_HEADER_LENGTH);
            packet.readerIndex(fixed);
            Ipv4.setHeaderLength(packet, fixed, Ipv4.MIN_HEADER_LENGTH);
            Ipv4.setTotalLength(packet, fixed, packet.writerIndex() - fixed);
            Ipv4.setTtl(packet, fixed, REPLY_TTL);
            Ipv4.setSource(packet, fixed, dst);
            Ipv4.setDestination(packet, fixed, src);
            Ipv4.fillChecksum(packet, fixed);
            return;
        }
        // Swapping the addresses leaves the header's sum unchanged; only the TTL word (TTL << 8 | protocol) moves.
        int oldTtlWord = packet.getUnsignedShort(ip + Ipv4.Field.TTL);
        int newTtlWord = REPLY_TTL << 8 | (oldTtlWord & 0xFF);
        Ipv4.setSource(packet, ip, dst);
        Ipv4.setDestination(packet, ip, src);
        Ipv4.setTtl(packet, ip, REPLY_TTL);
        Ipv4.setChecksum(packet, ip, InternetChecksum.update(Ipv4.checksum(packet, ip), oldTtlWord, newTtlWord));
    }
}
