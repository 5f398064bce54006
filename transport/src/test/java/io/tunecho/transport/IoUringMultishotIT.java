package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import io.tunecho.device.DeviceException;
import io.tunecho.device.RegisteredRing;
import io.tunecho.transport.ChannelTests.Holder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.tunecho.transport.ChannelTests.assertPrivateNamespace;
import static io.tunecho.transport.ChannelTests.awaitOnLoop;
import static io.tunecho.transport.ChannelTests.exists;
import static io.tunecho.transport.ChannelTests.onLoop;
import static io.tunecho.transport.ChannelTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IoUringTunChannel}'s multishot read into its buffer ring, against a real TUN device and real {@code ping}:
 * packets are ring buffers and every buffer comes back, a ring that runs dry reads on when buffers come back, a
 * larger MTU gets larger buffers, closing cancels the read and returns the ring to the kernel, and the channel
 * finds out whether the kernel has the multishot read. Runs as root in the network namespace that
 * {@code testkit/netns/bin/java} made for this JVM.
 */
class IoUringMultishotIT {
    private EventLoopGroup group;

    @BeforeEach
    void setUp() {
        assertPrivateNamespace();
        group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        assertTrue(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS),
                "the event loop group did not terminate");
    }

    private IoUringTunChannel bind(String name, String cidr, ChannelHandler handler, Object... options)
            throws InterruptedException {
        return ChannelTests.bind(group, IoUringTunChannel.class, name, cidr, handler, options);
    }

    @Test
    void packetsAreRingBuffersAndEveryBufferComesBack() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        IoUringTunChannel ch = bind("tunit40", "198.18.40.1/24", echo);
        try {
            String out = run("ping", "-n", "-c", "5", "-i", "0.05", "-W", "2", "198.18.40.5");
            assertTrue(out.contains("5 packets transmitted, 5 received"), out);
            out = run("timeout", "20", "ping", "-n", "-f", "-l", "32", "-c", "3000", "-W", "1", "198.18.40.6");
            assertTrue(out.contains("3000 packets transmitted, 3000 received"), out);

            assertEquals("multishot", onLoop(ch, ch::readMode));
            assertEquals(3005, echo.replies.get());
            assertEquals(echo.packets.get(), echo.ringPackets.get(), "every packet a ring buffer");
            PacketBufferRing ring = onLoop(ch, () -> ((MultishotReader) ch.reader()).ring());
            assertEquals(1500, ring.bufferSize());
            awaitOnLoop(ch, () -> ring.buffersOut() == 0, "every buffer back in the ring: " + ring);
            assertTrue(onLoop(ch, () -> ch.reader().inFlight()), "the read stays armed");
            MultishotReader reader = onLoop(ch, () -> (MultishotReader) ch.reader());
            assertEquals(1 + reader.runsDry(), (int) onLoop(ch, reader::arms),
                    "armed once, and again only after the ring ran dry");
        } finally {
            ch.close().sync();
        }
        PacketBufferRing ring = ((MultishotReader) ch.reader()).ring();
        assertFalse(ring.isRegistered(), "the ring goes back to the kernel on close");
        assertFalse(ch.reader().inFlight());
        assertFalse(exists("tunit40"), "closing the channel must remove the interface");
    }

    @Test
    void closingCancelsTheReadWhilePacketsAreHeldAndTheyStayValid() throws Exception {
        run("ip", "tuntap", "add", "dev", "tunit41", "mode", "tun");
        try {
            Holder holder = new Holder(3);
            IoUringTunChannel ch = bind("tunit41", "198.18.41.1/24", holder);
            run("ping", "-n", "-c", "6", "-i", "0.05", "-W", "0.2", "198.18.41.5"); // nobody answers
            assertTrue(awaitTrue(() -> holder.held.size() == 3), "3 packets held");
            assertTrue(onLoop(ch, () -> ch.reader().inFlight()));
            PacketBufferRing ring = onLoop(ch, () -> ((MultishotReader) ch.reader()).ring());

            ch.close().sync();
            assertFalse(ch.reader().inFlight(), "the multishot read ended before the close completed");
            assertFalse(ring.isRegistered());
            assertEquals(3, ring.buffersOut());
            // The kernel let go of the device: a read still armed would hold the file and keep the carrier up.
            String link = run("ip", "-o", "link", "show", "dev", "tunit41");
            assertTrue(link.contains("NO-CARRIER"), link);

            for (ByteBuf packet : holder.held) {
                assertEquals(1, packet.refCnt());
                assertEquals(4, packet.getUnsignedByte(0) >> 4, "a held packet keeps its bytes after the close");
            }
            holder.releaseAll();
            awaitOnLoop(ch, () -> ring.buffersOut() == 0, "released packets come back to the closed ring");
            Thread.sleep(100);
            assertEquals(0, (int) onLoop(ch, ch::completionsAfterClose));
        } finally {
            run("ip", "link", "del", "tunit41");
        }
    }

    @Test
    void aRingThatRunsDryReadsOnWhenBuffersComeBack() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder(300); // holds each buffer 0.3 ms before answering
        IoUringTunChannel ch = bind("tunit42", "198.18.42.1/24", echo, TunChannelOption.READ_BUFFERS, 2);
        try {
            String out = run("timeout", "20", "ping", "-n", "-f", "-l", "8", "-c", "400", "-W", "2",
                    "198.18.42.5");
            assertTrue(out.contains("400 packets transmitted, 400 received"), out);
            MultishotReader reader = onLoop(ch, () -> (MultishotReader) ch.reader());
            assertTrue(onLoop(ch, reader::runsDry) > 0, "with 2 buffers and 8 pings in flight the ring runs dry");
            awaitOnLoop(ch, () -> reader.ring().buffersOut() == 0, "every buffer back");
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void aRingWhoseBuffersThePipelineKeepsIsReplacedAndReadingGoesOn() throws Exception {
        Holder holder = new Holder(Integer.MAX_VALUE); // keeps every packet, as fragments wait for their datagram
        IoUringTunChannel ch = bind("tunit48", "198.18.48.1/24", holder, TunChannelOption.READ_BUFFERS, 4);
        try {
            run("ping", "-n", "-c", "12", "-i", "0.05", "-W", "0.2", "198.18.48.5"); // nobody answers
            assertTrue(awaitTrue(() -> holder.held.size() >= 12), "12 pings read with 4 buffers, all kept: "
                    + holder.held.size());
            MultishotReader reader = onLoop(ch, () -> (MultishotReader) ch.reader());
            assertTrue(onLoop(ch, reader::replaced) >= 2, "the dry ring was replaced: " + onLoop(ch, reader::replaced));
            for (ByteBuf packet : holder.held) {
                assertEquals(4, packet.getUnsignedByte(0) >> 4, "a kept packet of a replaced ring keeps its bytes");
            }
        } finally {
            holder.releaseAll();
            ch.close().sync();
        }
    }

    @Test
    void aLargerMtuGetsLargerBuffers() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        IoUringTunChannel ch = bind("tunit43", "198.18.43.1/24", echo, TunChannelOption.MTU, 1400);
        try {
            String out = run("ping", "-n", "-c", "1", "-W", "2", "198.18.43.5");
            assertTrue(out.contains("1 received"), out);
            assertEquals(1400, (int) onLoop(ch, () -> ((MultishotReader) ch.reader()).ring().bufferSize()));

            ch.config().setOption(TunChannelOption.MTU, 4000);
            awaitOnLoop(ch, () -> ((MultishotReader) ch.reader()).ring().bufferSize() == 4000, "a new ring");
            out = run("ping", "-n", "-c", "2", "-i", "0.1", "-W", "2", "-s", "3900", "198.18.43.5");
            assertTrue(out.contains("2 packets transmitted, 2 received"), out);
            assertTrue(onLoop(ch, () -> ch.reader().inFlight()));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void aLargeMtuGetsFewerBuffersAndAnswersTheLargestPings() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        IoUringTunChannel ch = bind("tunit50", "198.18.50.1/24", echo, TunChannelOption.MTU, 65535);
        try {
            String out = run("ping", "-n", "-c", "2", "-i", "0.1", "-W", "2", "-s", "60000", "198.18.50.5");
            assertTrue(out.contains("2 packets transmitted, 2 received"), out);
            PacketBufferRing ring = onLoop(ch, () -> ((MultishotReader) ch.reader()).ring());
            assertEquals(65535, ring.bufferSize());
            assertEquals(64, ring.buffers(), "256 buffers of 64 kB would take 16 MB: 64 take 4 MB");

            ch.config().setOption(TunChannelOption.MTU, 1500);
            ch.config().setOption(TunChannelOption.MTU, 65535); // the ring stays: its buffers are large enough
            assertEquals(64, (int) onLoop(ch, () -> ((MultishotReader) ch.reader()).ring().buffers()));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void readBuffersDefaultToWhatFitsFourMegabytesAndAUsersChoiceStands() {
        IoUringTunChannel ch = new IoUringTunChannel();
        try {
            assertEquals(256, ch.config().readBuffersFor(1500));
            assertEquals(256, ch.config().readBuffersFor(9000));
            assertEquals(64, ch.config().readBuffersFor(65535));
            ch.config().setOption(TunChannelOption.READ_BUFFERS, 512);
            assertEquals(512, ch.config().readBuffersFor(65535), "what the user set is what the ring gets");
        } finally {
            ch.unsafe().closeForcibly();
        }
        for (int mtu = 68; mtu <= 65535; mtu += 991) {
            int buffers = PacketBufferRing.defaultBuffers(mtu, 256);
            assertEquals(1, Integer.bitCount(buffers), mtu + ": " + buffers);
            assertTrue((long) buffers * mtu <= PacketBufferRing.DEFAULT_MAX_BYTES, mtu + ": " + buffers);
        }
    }

    @Test
    void withoutAutoReadEachReadReadsOneBurst() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        IoUringTunChannel ch = bind("tunit49", "198.18.49.1/24", echo,
                io.netty.channel.ChannelOption.AUTO_READ, false);
        try {
            String out = run("ping", "-n", "-c", "2", "-i", "0.1", "-W", "0.3", "198.18.49.5");
            assertTrue(out.contains("2 packets transmitted, 0 received"), "nothing read before read(): " + out);
            assertEquals(0, echo.replies.get());

            ch.read(); // the two requests wait in the device's queue: one burst
            assertTrue(awaitTrue(() -> echo.replies.get() == 2), "replies: " + echo.replies.get());
            awaitOnLoop(ch, () -> !ch.reader().inFlight(), "the read paused after the burst");
            out = run("ping", "-n", "-c", "1", "-W", "0.3", "198.18.49.5");
            assertTrue(out.contains("1 packets transmitted, 0 received"), out);
            assertEquals(2, echo.replies.get());

            ch.read();
            assertTrue(awaitTrue(() -> echo.replies.get() == 3), "replies: " + echo.replies.get());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void singleReadsWhenTheOptionSaysSo() throws Exception {
        InPlaceEchoResponder echo = new InPlaceEchoResponder();
        IoUringTunChannel ch = bind("tunit44", "198.18.44.1/24", echo, TunChannelOption.MULTISHOT_READ, false);
        try {
            String out = run("ping", "-n", "-c", "3", "-i", "0.05", "-W", "2", "198.18.44.5");
            assertTrue(out.contains("3 packets transmitted, 3 received"), out);
            assertEquals("single", onLoop(ch, ch::readMode));
            assertEquals(0, echo.ringPackets.get());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void theEventLoopsRingIsTheFirstRegisteredRingOfItsThreadAndKnowsItsOperations() throws Exception {
        Channel ch = bind("tunit45", "198.18.45.1/24", new InPlaceEchoResponder());
        try {
            RegisteredRing loopRing = new RegisteredRing(0);
            assertTrue(onLoop(ch, () -> loopRing.supports(IovecSlots.IORING_OP_READV)));
            assertEquals(kernelAtLeast(6, 7),
                    onLoop(ch, () -> loopRing.supports(MultishotReader.IORING_OP_READ_MULTISHOT)));
            assertFalse(onLoop(ch, () -> loopRing.supports(255)));
            // This test's own thread has no ring registered: the same call fails with a clear message.
            DeviceException e = assertThrows(DeviceException.class, () -> loopRing.supports(22));
            assertTrue(e.getMessage().startsWith("io_uring_register: cannot probe"), e.getMessage());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void refusesReadBuffersThatAreNoPowerOfTwo() throws Exception {
        IoUringTunChannel ch = new IoUringTunChannel();
        try {
            assertEquals(Boolean.TRUE, ch.config().getOption(TunChannelOption.MULTISHOT_READ));
            assertEquals(256, ch.config().getOption(TunChannelOption.READ_BUFFERS));
            for (int wrong : new int[] {0, 3, 100, 65536}) {
                assertThrows(IllegalArgumentException.class,
                        () -> ch.config().setOption(TunChannelOption.READ_BUFFERS, wrong));
            }
            ch.config().setOption(TunChannelOption.READ_BUFFERS, 32768);
            assertEquals(32768, ch.config().getOption(TunChannelOption.READ_BUFFERS));
        } finally {
            ch.unsafe().closeForcibly();
        }
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(v[0]);
        int mi = Integer.parseInt(v[1]);
        return ma > major || (ma == major && mi >= minor);
    }

    private static boolean awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
