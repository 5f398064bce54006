package io.tunecho.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunecho.transport.IoUringMultishotIT.interfaces;
import static io.tunecho.transport.IoUringMultishotIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link TunChannel}'s reads into its {@link PacketPool}, with real pings: every packet of a flood a pool buffer and
 * every buffer back after it, a pool that runs dry handing over to the allocator, and a user's allocator respected.
 * Runs as root in the network namespace that {@code testkit/netns/bin/java} made for this JVM.
 */
class TunChannelPoolIT {
    private EventLoopGroup group;

    @BeforeEach
    void setUp() {
        if (!"1".equals(System.getenv("TUNECHO_TEST_NETNS"))) {
            fail("namespace tests must run through testkit/netns/bin/java (mvn verify, as root)");
        }
        for (String name : interfaces()) {
            assertTrue(name.equals("lo") || name.startsWith("tunit"), "not a private network namespace: " + name);
        }
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        assertTrue(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS),
                "the event loop group did not terminate");
    }

    private TunChannel bind(String name, String cidr, ChannelHandler handler, Object... options)
            throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(TunChannel.class)
                .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse(cidr))
                .handler(handler);
        for (int i = 0; i < options.length; i += 2) {
            @SuppressWarnings("unchecked")
            ChannelOption<Object> option = (ChannelOption<Object>) options[i];
            b.option(option, options[i + 1]);
        }
        return (TunChannel) b.bind(new TunAddress(name)).sync().channel();
    }

    @Test
    void everyPacketOfAFloodIsAPoolBufferAndEveryBufferComesBack() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        TunChannel ch = bind("tunit60", "198.18.60.1/24", echo);
        try {
            String out = run("timeout", "20", "ping", "-n", "-f", "-l", "32", "-c", "3000", "-W", "1",
                    "198.18.60.6");
            assertTrue(out.contains("3000 packets transmitted, 3000 received"), out);
            assertEquals(echo.packets.get(), echo.ringPackets.get(), "every packet a pool buffer");
            PacketPool pool = onLoop(ch, ch::pool);
            assertEquals(1500, pool.bufferSize());
            awaitOnLoop(ch, () -> pool.buffersOut() == 0, "every buffer back in the pool: " + pool);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void whenThePipelineHoldsEveryBufferReadsGoOnInTheAllocatorsBuffers() throws Exception {
        int held = PacketPool.BUFFERS + 20;
        Holder holder = new Holder(held);
        TunChannel ch = bind("tunit61", "198.18.61.1/24", holder);
        try {
            // nobody answers; the holder keeps every IPv4 packet
            run("timeout", "20", "ping", "-n", "-f", "-c", Integer.toString(held), "-W", "0.01", "198.18.61.5");
            awaitOnLoop(ch, () -> holder.held.size() == held, held + " packets held, " + holder.held.size());
            PacketPool pool = onLoop(ch, ch::pool);
            assertEquals(PacketPool.BUFFERS, (int) onLoop(ch, pool::buffersOut), "the pool ran dry");
            assertEquals(held - PacketPool.BUFFERS, holder.fromElsewhere.get(),
                    "the rest came from the channel's allocator");
            holder.releaseAll();
            awaitOnLoop(ch, () -> pool.buffersOut() == 0, "every buffer back in the pool: " + pool);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void aUsersAllocatorIsUsedAsItIs() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        TunChannel ch = bind("tunit62", "198.18.62.1/24", echo,
                ChannelOption.ALLOCATOR, new UnpooledByteBufAllocator(true));
        try {
            String out = run("ping", "-n", "-c", "5", "-i", "0.05", "-W", "2", "198.18.62.5");
            assertTrue(out.contains("5 packets transmitted, 5 received"), out);
            assertEquals(0, echo.ringPackets.get(), "no pool buffer: the user chose the allocator");
            assertNull(onLoop(ch, ch::pool));
        } finally {
            ch.close().sync();
        }
    }

    /** Keeps the IPv4 packets it reads, up to {@code keep}, and counts those that are not pool buffers. */
    private static final class Holder extends ChannelInboundHandlerAdapter {
        final Queue<ByteBuf> held = new ConcurrentLinkedQueue<>();
        final AtomicInteger fromElsewhere = new AtomicInteger();
        private final int keep;

        Holder(int keep) {
            this.keep = keep;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf packet = (ByteBuf) msg;
            if (held.size() < keep && (packet.getUnsignedByte(0) >> 4) == 4) {
                held.add(packet);
                if (!(packet instanceof PacketBuf)) {
                    fromElsewhere.incrementAndGet();
                }
            } else {
                packet.release();
            }
        }

        void releaseAll() {
            for (ByteBuf packet; (packet = held.poll()) != null; ) {
                packet.release();
            }
        }
    }

    private static <T> T onLoop(Channel ch, Callable<T> task) throws Exception {
        return ch.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    private static void awaitOnLoop(Channel ch, Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!onLoop(ch, condition)) {
            if (System.nanoTime() > deadline) {
                fail("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
