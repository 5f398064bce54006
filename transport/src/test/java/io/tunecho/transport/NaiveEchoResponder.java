package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * A test's own, deliberately simple echo responder, written without tunecho's wire or handler code: it answers
 * every IPv4 ICMP echo request (no options) with a fresh heap copy, so that it also exercises the channel's
 * conversion of heap buffers for writing.
 */
final class NaiveEchoResponder extends SimpleChannelInboundHandler<ByteBuf> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
        byte[] p = new byte[in.readableBytes()];
        in.getBytes(in.readerIndex(), p);
        if (p.length < 28 || (p[0] & 0xFF) != 0x45 || p[9] != 1 || p[20] != 8) {
            return;
        }
        for (int i = 0; i < 4; i++) {
            byte t = p[12 + i];
            p[12 + i] = p[16 + i];
            p[16 + i] = t;
        }
        p[8] = 64;
        p[10] = 0;
        p[11] = 0;
        int ipSum = checksum(p, 0, 20);
        p[10] = (byte) (ipSum >> 8);
        p[11] = (byte) ipSum;
        p[20] = 0;
        p[22] = 0;
        p[23] = 0;
        int icmpSum = checksum(p, 20, p.length - 20);
        p[22] = (byte) (icmpSum >> 8);
        p[23] = (byte) icmpSum;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(p));
    }

    private static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xFF) << 8 | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
