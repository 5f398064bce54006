package io.tunecho.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.tunecho.wire.IpCidr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the transport's namespace tests share: the namespace check, binding, the event loop's view, commands. */
final class ChannelTests {
    private ChannelTests() {
    }

    /** Fails unless this JVM runs in a namespace of its own that holds only loopback and the tests' TUNs. */
    static void assertPrivateNamespace() {
        if (!"1".equals(System.getenv("TUNECHO_TEST_NETNS"))) {
            fail("namespace tests must run through testkit/netns/bin/java (mvn verify, as root)");
        }
        for (String name : interfaces()) {
            assertTrue(name.equals("lo") || name.startsWith("tunit"), "not a private network namespace: " + name);
        }
    }

    /** A channel of {@code type} on {@code group}, bound to a new TUN {@code name} at {@code cidr}. */
    static <T extends AbstractTunChannel> T bind(EventLoopGroup group, Class<T> type, String name, String cidr,
            ChannelHandler handler, Object... options) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(type)
                .option(TunChannelOption.IPV4_ADDRESS, IpCidr.parse(cidr))
                .handler(handler);
        for (int i = 0; i < options.length; i += 2) {
            @SuppressWarnings("unchecked")
            ChannelOption<Object> option = (ChannelOption<Object>) options[i];
            b.option(option, options[i + 1]);
        }
        return type.cast(b.bind(new TunAddress(name)).sync().channel());
    }

    /** Runs {@code task} on the channel's event loop, where the channel's state lives. */
    static <T> T onLoop(Channel ch, Callable<T> task) throws Exception {
        return ch.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Polls {@code condition} on the channel's event loop until it holds, for at most 5 s. */
    static void awaitOnLoop(Channel ch, Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!onLoop(ch, condition)) {
            if (System.nanoTime() > deadline) {
                fail("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String(out);
    }

    static List<String> interfaces() {
        try {
            return Files.readAllLines(Path.of("/proc/self/net/dev")).stream().skip(2)
                    .map(line -> line.substring(0, line.indexOf(':')).trim()).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean exists(String name) {
        return interfaces().contains(name);
    }

    /**
     * Keeps the IPv4 packets it reads, up to {@code keep}, and releases the rest; counts the kept packets that are
     * not the channel's own packet buffers (that came from an allocator).
     */
    static final class Holder extends ChannelInboundHandlerAdapter {
        final Queue<ByteBuf> held = new ConcurrentLinkedQueue<>();
        final AtomicInteger fromAllocator = new AtomicInteger();
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
                    fromAllocator.incrementAndGet();
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
}
