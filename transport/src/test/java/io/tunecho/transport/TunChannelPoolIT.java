package io.tunecho.transport;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tunecho.transport.ChannelTests.Holder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.tunecho.transport.ChannelTests.assertPrivateNamespace;
import static io.tunecho.transport.ChannelTests.awaitOnLoop;
import static io.tunecho.transport.ChannelTests.onLoop;
import static io.tunecho.transport.ChannelTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TunChannel}'s reads into its {@link PacketPool}, with real pings: every packet of a flood a pool buffer and
 * every buffer back after it, a pool that runs dry handing over to the allocator, and a user's allocator respected.
 * Runs as root in the network namespace that {@code testkit/netns/bin/java} made for this JVM.
 */
class TunChannelPoolIT {
    private EventLoopGroup group;

    @BeforeEach
    void setUp() {
        assertPrivateNamespace();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        assertTrue(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS),
                "the event loop group did not terminate");
    }

    private TunChannel bind(String name, String cidr, ChannelHandler handler, Object... options)
            throws InterruptedException {
        return ChannelTests.bind(group, TunChannel.class, name, cidr, handler, options);
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
            assertEquals(held - PacketPool.BUFFERS, holder.fromAllocator.get(),
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
}
