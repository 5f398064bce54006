package io.tunecho.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.Ipv4;

/**
 * Validates IPv4 packets as a host does before it looks inside: version 4, a header of at least 20 bytes that fits
 * the packet, a total length that fits what was read, a correct header checksum, and not a fragment (tunecho does
 * not reassemble). A valid packet goes on as the same {@link ByteBuf}, trimmed to its total length (a link may
 * pad); the next handlers may then read its header fields without checking them again.
 *
 * <p>Buffers: an invalid packet is counted under its {@link DropReason} and released here; a valid one belongs to
 * the next handler.
 */
@Sharable
public final class Ipv4Decoder extends PacketHandler {

    public Ipv4Decoder(PacketCounters counters) {
        super(counters);
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf packet) {
        DropReason invalid = validate(packet);
        if (invalid != null) {
            drop(invalid, packet);
            return;
        }
        ctx.fireChannelRead(packet);
    }

    /** Returns why the packet is invalid, or {@code null} when it is valid (then trimmed to its total length). */
    private static DropReason validate(ByteBuf packet) {
        int off = packet.readerIndex();
        int read = packet.readableBytes();
        if (read < Ipv4.MIN_HEADER_LENGTH) {
            return read > 0 && Ipv4.version(packet, off) != Ipv4.VERSION
                    ? DropReason.BAD_VERSION : DropReason.TRUNCATED;
        }
        if (Ipv4.version(packet, off) != Ipv4.VERSION) {
            return DropReason.BAD_VERSION;
        }
        int headerLength = Ipv4.headerLength(packet, off);
        if (headerLength < Ipv4.MIN_HEADER_LENGTH || headerLength > read) {
            return DropReason.BAD_HEADER_LENGTH;
        }
        int totalLength = Ipv4.totalLength(packet, off);
        if (totalLength < headerLength || totalLength > read) {
            return DropReason.BAD_TOTAL_LENGTH;
        }
        if (!InternetChecksum.isValid(packet, off, headerLength)) {
            return DropReason.BAD_HEADER_CHECKSUM;
        }
        if (Ipv4.isFragment(packet, off)) {
            return DropReason.FRAGMENT;
        }
        if (totalLength < read) {
            packet.writerIndex(off + totalLength);
        }
        return null;
    }
}
