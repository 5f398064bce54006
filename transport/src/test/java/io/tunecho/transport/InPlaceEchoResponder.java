package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's own echo responder that answers in the request's buffer, as tunecho's handlers do, written without
 * tunecho's wire or handler code: it swaps the addresses, sets type 0, recomputes both checksums and writes the
 * same buffer back, so that the channel writes from the buffer it read into (a ring buffer, on multishot reads).
 * Optionally it waits before answering, holding the buffer meanwhile. Counts the packets that were ring buffers.
 */
final class InPlaceEchoResponder extends ChannelInboundHandlerAdapter {
    final AtomicInteger packets = new AtomicInteger();
    final AtomicInteger ringPackets = new AtomicInteger();
    final AtomicInteger replies = new AtomicInteger();
    private final long delayMicros;

    InPlaceEchoResponder() {
        this(0);
    }

    InPlaceEchoResponder(long delayMicros) {
        this.delayMicros = delayMicros;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf p = (ByteBuf) msg;
        packets.incrementAndGet();
        if (p instanceof PacketBuf) {
            ringPackets.incrementAndGet();
        }
        int at = p.readerIndex();
        if (p.readableBytes() < 28 || p.getUnsignedByte(at) != 0x45 || p.getByte(at + 9) != 1
                || p.getByte(at + 20) != 8) {
            p.release();
            return;
        }
        int src = p.getInt(at + 12);
        p.setInt(at + 12, p.getInt(at + 16));
        p.setInt(at + 16, src);
        p.setByte(at + 8, 64);
        p.setShort(at + 10, 0);
        p.setShort(at + 10, checksum(p, at, 20));
        p.setByte(at + 20, 0);
        p.setShort(at + 22, 0);
        p.setShort(at + 22, checksum(p, at + 20, p.getUnsignedShort(at + 2) - 20));
        replies.incrementAndGet();
        if (delayMicros == 0) {
            ctx.write(p);
        } else {
            ctx.executor().schedule(() -> ctx.writeAndFlush(p), delayMicros, TimeUnit.MICROSECONDS);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** The Internet checksum of {@code len} bytes of {@code b} from {@code off}. */
    static int checksum(ByteBuf b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += b.getUnsignedShort(off + i);
        }
        if ((len & 1) != 0) {
            sum += b.getUnsignedByte(off + len - 1) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
