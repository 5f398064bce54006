package io.tunecho.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link TunChannel} (and, in {@link IoUringTunChannelIT}, {@link IoUringTunChannel}) embedded in a plain Netty
 * {@link Bootstrap} with this test's own handlers, as a Netty user
 * would use it. Runs as root in the network namespace that {@code testkit/netns/bin/java} made for this JVM.
 */
class TunChannelIT {
    private EventLoopGroup group;

    /** The event loops' I/O: epoll here, io_uring in {@link IoUringTunChannelIT}. */
    protected IoHandlerFactory ioHandlerFactory() {
        return EpollIoHandler.newFactory();
    }

    protected Class<? extends AbstractTunChannel> channelClass() {
        return TunChannel.class;
    }

    /** A bootstrap for {@link #channelClass()} on the test's group; subclasses may add options. */
    protected Bootstrap bootstrap() {
        return new Bootstrap().group(group).channel(channelClass());
    }

    @BeforeEach
    void setUp() {
        if (!"1".equals(System.getenv("TUNECHO_TEST_NETNS"))) {
            fail("namespace tests must run through testkit/netns/bin/java (mvn verify, as root)");
        }
        for (String name : interfaces()) {
            assertTrue(name.equals("lo") || name.startsWith("tunit"), "not a private network namespace: " + name);
        }
        group = new MultiThreadIoEventLoopGroup(1, ioHandlerFactory());
    }

    @AfterEach
    void tearDown() {
        assertTrue(group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS),
                "the event loop group did not terminate");
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String(out);
    }

    /** A handler of the test's own: it keeps a copy of every packet's first 20 bytes and releases the packet. */
    private static final class Recorder extends SimpleChannelInboundHandler<ByteBuf> {
        final BlockingQueue<byte[]> headers = new LinkedBlockingQueue<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf packet) {
            byte[] header = new byte[Math.min(28, packet.readableBytes())];
            packet.getBytes(packet.readerIndex(), header);
            headers.add(header);
        }
    }

    @Test
    void bootstrapBindsConfiguresAndReadsWhatTheKernelRoutesIn() throws Exception {
        Recorder recorder = new Recorder();
        Channel ch = bootstrap()
                .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse("198.18.30.1/24"))
                .option(TunChannelOption.MTU, 1400)
                .handler(recorder)
                .bind(new TunAddress("tunit30")).sync().channel();
        try {
            assertTrue(ch.isActive());
            assertEquals(new TunAddress("tunit30"), ch.localAddress());
            assertTrue(((AbstractTunChannel) ch).createdInterface());
            String link = run("ip", "-o", "link", "show", "dev", "tunit30");
            assertTrue(link.contains("mtu 1400") && link.contains("UP"), link);

            run("ping", "-n", "-c", "1", "-W", "1", "-s", "100", "198.18.30.9"); // nobody answers: we only record

            byte[] ipv4 = null;
            for (byte[] h; (h = recorder.headers.poll(5, TimeUnit.SECONDS)) != null; ) {
                if ((h[0] >> 4) == 4) { // skip the kernel's IPv6 router solicitations
                    ipv4 = h;
                    break;
                }
            }
            assertNotNull(ipv4, "no IPv4 packet read from the TUN");
            assertEquals(128, ((ipv4[2] & 0xFF) << 8) | (ipv4[3] & 0xFF)); // 20 + 8 + 100
            assertEquals(1, ipv4[9]); // ICMP
            assertEquals(IpCidr.parse("198.18.30.9").ipv4Address(), readInt(ipv4, 16));
            assertEquals(8, ipv4[20]); // echo request
        } finally {
            ch.close().sync();
        }
        assertFalse(exists("tunit30"), "closing the channel must remove the interface");
    }

    @Test
    void writesWhatTheHandlerWrites() throws Exception {
        // The test's handler answers in its own simple way: it copies the request, swaps addresses, sets type 0
        // and fixes the checksums from scratch. ping then sees a reply that came through TunChannel's write path.
        Channel ch = bootstrap()
                .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse("198.18.31.1/24"))
                .handler(new ChannelInitializer<AbstractTunChannel>() {
                    @Override
                    protected void initChannel(AbstractTunChannel c) {
                        c.pipeline().addLast(new NaiveEchoResponder());
                    }
                })
                .bind(new TunAddress("tunit31")).sync().channel();
        try {
            String out = run("ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "198.18.31.5");
            assertTrue(out.contains("3 packets transmitted, 3 received"), out);
            // the channel counts what it moved (the kernel may add router solicitations, which are echoed too)
            TunChannelStats stats = ((AbstractTunChannel) ch).stats();
            // an io_uring write is counted when its completion is handled, which may come after ping saw the reply
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    stats.packetsWritten() < 3 && System.nanoTime() < end; ) {
                Thread.sleep(10);
            }
            assertTrue(stats.packetsRead() >= 3 && stats.packetsWritten() >= 3, stats.packetsRead() + " read, "
                    + stats.packetsWritten() + " written");
            assertTrue(stats.bytesWritten() >= 3 * 84, stats.bytesWritten() + " bytes written");
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void attachesToAnExistingInterfaceAndLeavesIt() throws Exception {
        run("ip", "tuntap", "add", "dev", "tunit32", "mode", "tun");
        try {
            Channel ch = bootstrap()
                    .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse("198.18.32.1/24"))
                    .handler(new NaiveEchoResponder())
                    .bind(new TunAddress("tunit32")).sync().channel();
            assertFalse(((AbstractTunChannel) ch).createdInterface());
            String out = run("ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", "198.18.32.5");
            assertTrue(out.contains("2 packets transmitted, 2 received"), out);
            ch.close().sync();
            assertTrue(exists("tunit32"));
        } finally {
            run("ip", "link", "del", "tunit32");
        }
    }

    @Test
    void kernelChoosesTheNameWhenNoneIsGiven() throws Exception {
        Channel ch = bootstrap()
                .option(TunChannelOption.LINK_UP, false)
                .handler(new Recorder())
                .bind(TunAddress.any()).sync().channel();
        try {
            String name = ((AbstractTunChannel) ch).localAddress().name();
            assertTrue(name.startsWith("tun"), name);
            assertTrue(exists(name));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void shuttingDownTheGroupClosesTheChannel() throws Exception {
        Channel ch = bootstrap()
                .handler(new Recorder())
                .bind(new TunAddress("tunit33")).sync().channel();
        // A quiet period above 0: with 0, Netty 4.2.18's SingleThreadIoEventLoop can see the shutdown only after
        // its last prepareToDestroy() and end without closing its registrations (seen in 8 of 40 tries here).
        group.shutdownGracefully(50, 2000, TimeUnit.MILLISECONDS).sync();
        assertTrue(ch.closeFuture().await(5, TimeUnit.SECONDS));
        assertFalse(exists("tunit33"));
    }

    @Test
    void bindingToSomethingElseFails() {
        Bootstrap b = bootstrap().handler(new Recorder());
        Throwable cause = b.bind(new java.net.InetSocketAddress(0)).awaitUninterruptibly().cause();
        assertNotNull(cause);
        assertTrue(cause.getMessage().contains("TunAddress"), cause.toString());
    }

    @Test
    void refusesOptionsOutOfRange() throws Exception {
        AbstractTunChannel ch = channelClass().getConstructor().newInstance();
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ch.config().setOption(TunChannelOption.MTU, 20));
            assertEquals(List.of(), ch.config().getOption(TunChannelOption.ROUTES));
            assertEquals(1, ch.config().getOption(TunChannelOption.READS_IN_FLIGHT));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ch.config().setOption(TunChannelOption.READS_IN_FLIGHT, 0));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ch.config().setOption(TunChannelOption.READS_IN_FLIGHT,
                            IoUringTunChannel.MAX_READS_IN_FLIGHT + 1));
        } finally {
            ch.unsafe().closeForcibly();
        }
    }

    /** This namespace's interfaces ({@code /sys/class/net} shows the namespace that mounted sysfs). */
    private static List<String> interfaces() {
        try {
            return Files.readAllLines(Path.of("/proc/self/net/dev")).stream().skip(2)
                    .map(line -> line.substring(0, line.indexOf(':')).trim()).collect(Collectors.toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean exists(String name) {
        return interfaces().contains(name);
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
