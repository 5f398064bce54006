package io.tunecho.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an embedder of {@link IoUringTunChannel} relies on beyond ping: each write completes its own promise (the
 * kernel refuses a packet that is not IP with EINVAL, and only that packet's write fails), and a read that returns
 * 0 bytes is no error: the channel reads on, as {@link TunChannel} does.
 */
class IoUringPromisesAndEmptyReadsIT {
    private EventLoopGroup group;

    @BeforeEach
    void setUp() {
        ChannelTests.assertPrivateNamespace();
        group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        assertTrue(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS),
                "the event loop group did not terminate");
    }

    @Test
    void eachWriteCompletesItsOwnPromise() throws Exception {
        AtomicInteger echoReplies = new AtomicInteger();
        Channel ch = new Bootstrap().group(group).channel(IoUringTunChannel.class)
                .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse("198.18.46.1/24"))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf p = (ByteBuf) msg;
                        if (p.getUnsignedByte(0) == 0x45 && p.getByte(9) == 1 && p.getByte(20) == 0) {
                            echoReplies.incrementAndGet(); // the kernel's answer to one of our requests
                        }
                        p.release();
                    }
                })
                .bind(new TunAddress("tunit46")).sync().channel();
        try {
            // 300 packets in one flush (more than the 256 io_uring writes in flight): every third is not an IP
            // packet, which the TUN driver refuses; the others are echo requests to the kernel's own address.
            int count = 300;
            List<ChannelFuture> futures = new ArrayList<>();
            ch.eventLoop().submit(() -> {
                for (int i = 0; i < count; i++) {
                    futures.add(ch.write(i % 3 == 1 ? notIp(i) : echoRequest(ch.alloc(), i)));
                }
                futures.add(ch.write(Unpooled.directBuffer(0))); // nothing to write: completes, as on epoll
                ch.flush();
            }).sync();
            for (ChannelFuture f : futures) {
                assertTrue(f.await(5, TimeUnit.SECONDS), "every write completes");
            }
            for (int i = 0; i < count; i++) {
                ChannelFuture f = futures.get(i);
                if (i % 3 == 1) {
                    assertTrue(f.cause() != null && f.cause().getMessage().contains("Invalid argument"),
                            "packet " + i + " is refused: " + f.cause());
                } else {
                    assertNull(f.cause(), "packet " + i + " is written");
                }
            }
            assertTrue(futures.get(count).isSuccess());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (echoReplies.get() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(200, echoReplies.get(), "the kernel answered every request that was written");

            // A lone packet of a turn, written at once: the same rule.
            ChannelFuture refused = ch.writeAndFlush(notIp(0)).await();
            assertTrue(refused.cause() != null && refused.cause().getMessage().contains("Invalid argument"),
                    String.valueOf(refused.cause()));
            assertTrue(ch.writeAndFlush(echoRequest(ch.alloc(), 1000)).await().isSuccess());
            while (echoReplies.get() < 201 && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(5)) {
                Thread.sleep(10);
            }
            assertEquals(201, echoReplies.get());
            assertTrue(ch.isActive());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void aReadOfNoBytesIsNoErrorAndReadingGoesOn() throws Exception {
        // The channel's allocator hands out one buffer without room first: a read into it returns 0.
        OneFullBufferFirst allocator = new OneFullBufferFirst(1500);
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Channel ch = new Bootstrap().group(group).channel(IoUringTunChannel.class)
                .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse("198.18.47.1/24"))
                .option(TunChannelOption.MULTISHOT_READ, false)
                .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, allocator)
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(echo, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                failure.set(cause);
                            }
                        });
                    }
                })
                .bind(new TunAddress("tunit47")).sync().channel();
        try {
            String out = ChannelTests.run("ping", "-n", "-c", "3", "-i", "0.1", "-W", "2", "198.18.47.5");
            assertTrue(out.contains("3 packets transmitted, 3 received"), out);
            assertEquals(1, allocator.fullBuffers.get(), "the first read went into a buffer without room");
            assertTrue(allocator.allocations.get() >= 2, "and completed, so that the next read was submitted");
            assertTrue(ch.isActive());
            assertNull(failure.get());
        } finally {
            ch.close().sync();
        }
    }

    /** A fixed-size allocator whose first buffer has no room left: reading into it reads 0 bytes. */
    private static final class OneFullBufferFirst extends FixedRecvByteBufAllocator {
        final AtomicInteger allocations = new AtomicInteger();
        final AtomicInteger fullBuffers = new AtomicInteger();

        OneFullBufferFirst(int size) {
            super(size);
        }

        @Override
        @SuppressWarnings("deprecation")
        public Handle newHandle() {
            return new RecvByteBufAllocator.DelegatingHandle(super.newHandle()) {
                @Override
                public ByteBuf allocate(ByteBufAllocator alloc) {
                    if (allocations.getAndIncrement() == 0) {
                        fullBuffers.incrementAndGet();
                        ByteBuf full = alloc.directBuffer(64, 64);
                        full.writerIndex(64);
                        return full;
                    }
                    return super.allocate(alloc);
                }
            };
        }
    }

    /** Bytes the TUN driver refuses: the version nibble is neither 4 nor 6. */
    private static ByteBuf notIp(int i) {
        ByteBuf b = Unpooled.directBuffer(28);
        b.writeZero(28);
        b.setByte(27, i);
        return b;
    }

    /** An ICMP echo request from 198.18.46.2 to the kernel's address 198.18.46.1, sequence {@code seq}. */
    private static ByteBuf echoRequest(ByteBufAllocator alloc, int seq) {
        ByteBuf b = alloc.directBuffer(36);
        b.writeByte(0x45).writeByte(0).writeShort(36).writeShort(seq).writeShort(0)
                .writeByte(64).writeByte(1).writeShort(0)
                .writeInt(IpCidr.parse("198.18.46.2").ipv4Address()).writeInt(IpCidr.parse("198.18.46.1").ipv4Address());
        b.writeByte(8).writeByte(0).writeShort(0).writeShort(0x4242).writeShort(seq).writeLong(0x0102030405060708L);
        b.setShort(10, InPlaceEchoResponder.checksum(b, 0, 20));
        b.setShort(22, InPlaceEchoResponder.checksum(b, 20, 16));
        return b;
    }
}
