package io.tunecho.example;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.tunecho.transport.AbstractTunChannel;
import io.tunecho.transport.IoUringTunChannel;
import io.tunecho.transport.NoTimeoutIoEventLoopGroup;
import io.tunecho.transport.TunAddress;
import io.tunecho.transport.TunChannel;
import io.tunecho.transport.TunChannelOption;
import io.tunecho.wire.IpCidr;

/**
 * Answers ping for every address of a TUN's subnet with the transport alone and one handler:
 * {@code java -cp ... io.tunecho.example.PingAnswerer tun0 198.18.0.1/24}, then {@code ping 198.18.0.7}. A third
 * argument, {@code io_uring}, answers on io_uring (multishot reads) instead of epoll: the handler is the same.
 */
public final class PingAnswerer {

    /** Turns an IPv4 echo request into its reply in the same buffer and writes it; releases everything else. */
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf p = (ByteBuf) msg;
            int ip = p.readerIndex();
            int icmp = ip + (p.getByte(ip) & 0x0F) * 4;
            if (p.readableBytes() < 28 || p.getByte(ip) >> 4 != 4 || p.getByte(ip + 9) != 1 || p.getByte(icmp) != 8) {
                p.release(); // not an IPv4 echo request (the kernel's IPv6 solicitations, for a start)
                return;
            }
            int source = p.getInt(ip + 12);
            p.setInt(ip + 12, p.getInt(ip + 16)); // swapping the addresses keeps the IP checksum valid
            p.setInt(ip + 16, source);
            p.setByte(icmp, 0); // echo reply: the checksum's first word drops by 0x0800 (RFC 1624)
            int sum = p.getUnsignedShort(icmp + 2) + 0x0800;
            p.setShort(icmp + 2, (sum & 0xFFFF) + (sum >>> 16));
            ctx.write(p, ctx.voidPromise()); // nothing waits on the write: no promise object per packet
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Creates (or attaches to) the TUN {@code name} with the kernel's address {@code cidr}, answering ping. */
    static Channel answer(EventLoopGroup group, String name, String cidr) throws InterruptedException {
        return answer(group, TunChannel.class, name, cidr);
    }

    /**
     * As {@link #answer(EventLoopGroup, String, String)}, on a channel of {@code type}: {@link TunChannel} on an
     * epoll group, {@link IoUringTunChannel} on an io_uring group.
     */
    static Channel answer(EventLoopGroup group, Class<? extends Channel> type, String name, String cidr)
            throws InterruptedException {
        return new Bootstrap().group(group).channel(type)
                .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse(cidr))
                .handler(new EchoHandler())
                .bind(new TunAddress(name)).sync().channel();
    }

    public static void main(String[] args) throws InterruptedException {
        // Before Netty's classes load: its recyclers then keep a whole burst of the channel's objects (README,
        // "Embedding"), and the echo path allocates nothing.
        if (System.getProperty("io.netty.recycler.chunkSize") == null) {
            System.setProperty("io.netty.recycler.chunkSize", Integer.toString(AbstractTunChannel.RECYCLER_BATCH));
        }
        boolean uring = args.length > 2 && args[2].equals("io_uring");
        // NoTimeoutIoEventLoopGroup: an idle loop waits with no time-out rather than Netty's one second (README)
        EventLoopGroup group = new NoTimeoutIoEventLoopGroup(1,
                uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
        try {
            Channel ch = answer(group, uring ? IoUringTunChannel.class : TunChannel.class,
                    args.length > 0 ? args[0] : "tun0", args.length > 1 ? args[1] : "198.18.0.1/24");
            System.out.println("answering ping on " + ch.localAddress());
            ch.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
