package io.tunecho.app;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.device.DeviceException;
import io.tunecho.device.NetInterfaces;
import io.tunecho.device.Privileges;
import io.tunecho.handler.AnswerSet;
import io.tunecho.handler.PacketCounters;
import io.tunecho.transport.NoTimeoutIoEventLoopGroup;
import io.tunecho.wire.Icmpv4;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.Ipv4;
import io.tunecho.wire.Ipv4Cidr;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code --check}: everything a start does except opening the TUN device. It validates the configuration (the
 * command line did), looks up the {@code --user}, loads the native libraries (the chosen transport's, and libc
 * through jnr with one harmless {@code ioctl} on the loopback interface), runs one event loop of the transport, and
 * passes one real ICMP echo request, from the interface's address to the first answered address, through the
 * answering pipeline on an {@link EmbeddedChannel}, checking the reply byte by byte. It needs no privilege and no
 * {@code /dev/net/tun}, so it also runs while a container image is built, where it is the training run of the
 * image's class-data-sharing archive.
 */
final class ConfigCheck {
    private static final int PAYLOAD = 56;
    private static final int IDENT = 0x7463;
    private static final int SEQUENCE = 1;

    private ConfigCheck() {
    }

    /** Prints one line and returns the exit code: 0 when everything passed, 2 for a configuration error, else 1. */
    static int run(TunechoConfig config, PrintStream out, PrintStream err) {
        StringBuilder ok = new StringBuilder();
        ok.append(config.interfaceName()).append(' ').append(config.interfaceAddress());
        try {
            if (config.user() != null) {
                ok.append(", user ").append(Privileges.lookup(config.user()));
            }
        } catch (DeviceException e) {
            err.println("tunecho: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        try {
            ok.append(", ").append(startTransport(config));
            NetInterfaces.exists("lo");
            AnswerSet answers = AnswerSet.forInterface(config.interfaceAddress(), config.effectiveAnswer());
            int target = firstAnswered(config, answers);
            echoThroughPipeline(config.interfaceAddress().address(), target, answers);
            ok.append(", answers ").append(answers).append("; echo request to ").append(Ipv4Cidr.format(target))
                    .append(" answered");
        } catch (Throwable t) {
            err.println("tunecho: check failed: " + Main.describe(t));
            if (Boolean.getBoolean("tunecho.debug")) {
                t.printStackTrace(err);
            }
            return Main.EXIT_RUNTIME;
        }
        out.println("tunecho: configuration OK (" + ok + ")");
        return Main.EXIT_OK;
    }

    /** Runs one event loop of the configured transport (as the server would pick it) and stops it. */
    private static String startTransport(TunechoConfig config) throws InterruptedException {
        boolean uring = config.transport() == TunechoConfig.Transport.IO_URING && TunechoServer.ioUringUsable();
        if (!uring) {
            Epoll.ensureAvailability();
        }
        EventLoopGroup group = new NoTimeoutIoEventLoopGroup(1,
                uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
        try {
            group.submit(() -> { }).sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
        return uring ? "io_uring" : "epoll";
    }

    /** The first address the server answers: near the start of each answered prefix. */
    static int firstAnswered(TunechoConfig config, AnswerSet answers) {
        for (Ipv4Cidr prefix : config.effectiveAnswer()) {
            for (int i = 0; i < 3; i++) {
                int candidate = prefix.network() + i;
                if (prefix.contains(candidate) && answers.contains(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no answered address found near the start of " + answers);
    }

    /** One echo request through the answering pipeline; throws unless exactly its reply comes out. */
    static void echoThroughPipeline(int source, int target, AnswerSet answers) {
        PacketCounters counters = new PacketCounters();
        EmbeddedChannel channel = new EmbeddedChannel(TunechoServer.answering(answers, counters));
        try {
            ByteBuf request = channel.alloc().directBuffer(Ipv4.MIN_HEADER_LENGTH + Icmpv4.HEADER_LENGTH + PAYLOAD);
            writeEchoRequest(request, source, target);
            channel.writeInbound(request);
            ByteBuf reply = channel.readOutbound();
            if (reply == null) {
                throw new IllegalStateException("the pipeline did not answer an echo request to "
                        + Ipv4Cidr.format(target) + " (" + counters + ")");
            }
            try {
                String wrong = replyMismatch(reply, source, target);
                if (wrong != null) {
                    throw new IllegalStateException("the pipeline's reply is wrong: " + wrong);
                }
            } finally {
                reply.release();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static void writeEchoRequest(ByteBuf buf, int source, int target) {
        int length = Ipv4.MIN_HEADER_LENGTH + Icmpv4.HEADER_LENGTH + PAYLOAD;
        buf.writeZero(length);
        Ipv4.setHeaderLength(buf, 0, Ipv4.MIN_HEADER_LENGTH);
        Ipv4.setTotalLength(buf, 0, length);
        buf.setShort(Ipv4.Field.FLAGS_FRAG, Ipv4.FLAG_DF);
        Ipv4.setTtl(buf, 0, 64);
        buf.setByte(Ipv4.Field.PROTOCOL, Ipv4.PROTOCOL_ICMP);
        Ipv4.setSource(buf, 0, source);
        Ipv4.setDestination(buf, 0, target);
        Ipv4.fillChecksum(buf, 0);
        int icmp = Ipv4.MIN_HEADER_LENGTH;
        Icmpv4.setType(buf, icmp, Icmpv4.ECHO_REQUEST);
        buf.setShort(icmp + Icmpv4.Field.IDENT, IDENT);
        buf.setShort(icmp + Icmpv4.Field.SEQ, SEQUENCE);
        for (int i = 0; i < PAYLOAD; i++) {
            buf.setByte(icmp + Icmpv4.HEADER_LENGTH + i, i);
        }
        Icmpv4.setChecksum(buf, icmp, InternetChecksum.compute(buf, icmp, Icmpv4.HEADER_LENGTH + PAYLOAD));
    }

    /** What is wrong with {@code reply} as the answer to {@link #writeEchoRequest}, or {@code null}. */
    private static String replyMismatch(ByteBuf reply, int source, int target) {
        int ip = reply.readerIndex();
        if (reply.readableBytes() != Ipv4.MIN_HEADER_LENGTH + Icmpv4.HEADER_LENGTH + PAYLOAD) {
            return reply.readableBytes() + " bytes";
        }
        if (Ipv4.source(reply, ip) != target || Ipv4.destination(reply, ip) != source) {
            return "from " + Ipv4Cidr.format(Ipv4.source(reply, ip)) + " to "
                    + Ipv4Cidr.format(Ipv4.destination(reply, ip));
        }
        if (!InternetChecksum.isValid(reply, ip, Ipv4.MIN_HEADER_LENGTH)) {
            return "bad IPv4 header checksum";
        }
        int icmp = ip + Ipv4.MIN_HEADER_LENGTH;
        if (Icmpv4.type(reply, icmp) != Icmpv4.ECHO_REPLY || Icmpv4.identifier(reply, icmp) != IDENT
                || Icmpv4.sequence(reply, icmp) != SEQUENCE) {
            return "not the echo reply to the request (type " + Icmpv4.type(reply, icmp) + ")";
        }
        if (!InternetChecksum.isValid(reply, icmp, Icmpv4.HEADER_LENGTH + PAYLOAD)) {
            return "bad ICMP checksum";
        }
        for (int i = 0; i < PAYLOAD; i++) {
            if (reply.getUnsignedByte(icmp + Icmpv4.HEADER_LENGTH + i) != i) {
                return "payload byte " + i + " changed";
            }
        }
        return null;
    }
}
