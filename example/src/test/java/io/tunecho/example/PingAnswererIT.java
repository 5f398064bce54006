package io.tunecho.example;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.tunecho.transport.IoUringTunChannel;
import io.tunecho.transport.TunChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example as a Netty developer would run it, answering the real {@code ping} in the network namespace that
 * the build's namespace-test JVM made for this test alone.
 */
class PingAnswererIT {

    @Test
    void theRealPingGetsItsReplies() throws Exception {
        answersPing(EpollIoHandler.newFactory(), TunChannel.class, "tunex0", "198.18.41");
    }

    @Test
    void theSameHandlerAnswersOnIoUring() throws Exception {
        answersPing(IoUringIoHandler.newFactory(), IoUringTunChannel.class, "tunex1", "198.18.42");
    }

    private static void answersPing(IoHandlerFactory io, Class<? extends Channel> type, String tun, String net)
            throws Exception {
        assertEquals("1", System.getenv("TUNECHO_TEST_NETNS"), "namespace tests run through testkit/netns/bin/java (mvn verify, as root)");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            Channel ch = PingAnswerer.answer(group, type, tun, net + ".1/24");
            assertTrue(type.isInstance(ch), ch.getClass().getName());
            Process ping = new ProcessBuilder("ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", net + ".7")
                    .redirectErrorStream(true).start();
            ping.getOutputStream().close();
            String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ping.waitFor(30, TimeUnit.SECONDS), out);
            assertTrue(out.contains("3 packets transmitted, 3 received"), out);
            assertTrue(out.contains("from " + net + ".7"), out);
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
