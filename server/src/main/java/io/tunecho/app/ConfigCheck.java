package io.tunecho.app;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.tunecho.config.ConfigException;
import io.tunecho.config.TunechoConfig;
import io.tunecho.device.DeviceException;
import io.tunecho.device.NetInterfaces;
import io.tunecho.device.Privileges;
import io.tunecho.hosts.HostTable;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.transport.NoTimeoutIoEventLoopGroup;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code --check}: everything a start does except opening the TUN device. It validates the configuration (the
 * command line did) and builds its host table, looks up the {@code --user}, loads the native libraries (the chosen
 * transport's, and libc through jnr with one harmless {@code ioctl} on the loopback interface), runs one event loop
 * of the transport, and passes one real ICMP echo request, from the interface's address to the first answered
 * address, through the answering pipeline on an {@link EmbeddedChannel}, checking the reply byte by byte. It needs no
 * privilege and no {@code /dev/net/tun}, so it also runs while a container image is built, where it is the training
 * run of the image's class-data-sharing archive.
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
        HostTable hosts;
        try {
            hosts = TunechoServer.hostTable(config, null);
            if (config.user() != null) {
                ok.append(", user ").append(Privileges.lookup(config.user()));
            }
        } catch (ConfigException | DeviceException e) {
            err.println("tunecho: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        try {
            ok.append(", ").append(startTransport(config));
            NetInterfaces.exists("lo");
            int target = firstAnswered(hosts);
            String heldBack = "";
            try {
                echoThroughPipeline(config.interfaceAddress().ipv4Address(), target, hosts);
            } catch (IllegalStateException byHostSettings) {
                // The host's own settings (a delay, loss, a down state, a timeline step) may hold its reply back:
                // the answering path is then checked for the same address as a host with no settings.
                echoThroughPipeline(config.interfaceAddress().ipv4Address(), target,
                        plainHosts(config.interfaceAddress(), hosts));
                heldBack = " as a host without settings (its own held the reply back: "
                        + byHostSettings.getMessage() + ")";
            }
            ok.append(", answers ").append(hosts).append("; echo request to ")
                    .append(IpCidr.ipv4(target, 32).addressText()).append(" answered").append(heldBack);
            if (config.scenario() != null) {
                int steps = config.scenario().steps().size();
                int expectations = config.scenario().expectations();
                ok.append("; scenario ").append(config.scenario().name()).append(": ").append(steps)
                        .append(steps == 1 ? " step, " : " steps, ").append(expectations)
                        .append(expectations == 1 ? " expectation" : " expectations");
            }
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

    /** Runs one event loop of the transport that the server would choose and stops it; says which and why. */
    private static String startTransport(TunechoConfig config) throws InterruptedException {
        TransportChoice choice = TransportChoice.of(config.transport());
        boolean uring = choice.ioUring();
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
        return choice.toString();
    }

    /** The first IPv4 address the server answers: near the start of each answered prefix, then of each entry. */
    static int firstAnswered(HostTable hosts) {
        java.util.List<IpCidr> candidates = new java.util.ArrayList<>(hosts.answered());
        hosts.entries().forEach(e -> candidates.add(e.match()));
        for (IpCidr prefix : candidates) {
            if (!prefix.isIpv4()) {
                continue;
            }
            for (int i = 0; i < 3; i++) {
                int candidate = prefix.ipv4Network() + i;
                if (prefix.containsIpv4(candidate) && hosts.answersIpv4(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no answered IPv4 address found near the start of " + hosts);
    }

    /** The same IPv4 addresses answered, every host behaving as Linux does. */
    static HostTable plainHosts(IpCidr interfaceAddress, HostTable hosts) {
        java.util.List<IpCidr> answered = new java.util.ArrayList<>();
        hosts.answered().stream().filter(IpCidr::isIpv4).forEach(answered::add);
        hosts.entries().stream().map(e -> e.match()).filter(IpCidr::isIpv4).forEach(answered::add);
        return HostTable.forInterface(interfaceAddress, answered);
    }

    /** One echo request through the answering pipeline; throws unless exactly its reply comes out. */
    static void echoThroughPipeline(int source, int target, HostTable hosts) {
        PacketCounters counters = new PacketCounters();
        EmbeddedChannel channel = new EmbeddedChannel();
        // The channel's time stands still: a reply held for later (a delay) is never due, however slowly the
        // machine runs the check, so the outcome does not depend on the load.
        channel.freezeTime();
        ResponderPipeline.builder(counters, () -> hosts).build().addTo(channel.pipeline());
        try {
            ByteBuf request = channel.alloc().directBuffer(Ipv4Packet.MIN_HEADER_LENGTH + IcmpMessage.HEADER_LENGTH
                    + PAYLOAD);
            writeEchoRequest(request, source, target);
            channel.writeInbound(request);
            ByteBuf reply = channel.readOutbound();
            if (reply == null) {
                throw new IllegalStateException("the pipeline did not answer an echo request to "
                        + IpCidr.ipv4(target, 32).addressText() + " (" + counters + ")");
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
        int length = Ipv4Packet.MIN_HEADER_LENGTH + IcmpMessage.HEADER_LENGTH + PAYLOAD;
        buf.writeZero(length);
        Ipv4Packet ip = new Ipv4Packet().wrap(buf, 0);
        ip.setHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        ip.setTotalLength(length);
        ip.setFlagsAndFragmentOffset(Ipv4Packet.FLAG_DF);
        ip.setTtl(IpPacket.DEFAULT_TTL);
        ip.setProtocol(IcmpMessage.PROTOCOL_V4);
        ip.setSource(source);
        ip.setDestination(target);
        ip.fillChecksum();
        int icmp = Ipv4Packet.MIN_HEADER_LENGTH;
        buf.setByte(icmp + IcmpMessage.Field.TYPE, IcmpMessage.V4.ECHO_REQUEST);
        buf.setShort(icmp + IcmpMessage.Field.IDENT, IDENT);
        buf.setShort(icmp + IcmpMessage.Field.SEQ, SEQUENCE);
        for (int i = 0; i < PAYLOAD; i++) {
            buf.setByte(icmp + IcmpMessage.HEADER_LENGTH + i, i);
        }
        new IcmpMessage().wrapPayloadOf(ip).fillChecksum();
    }

    /** What is wrong with {@code reply} as the answer to {@link #writeEchoRequest}, or {@code null}. */
    private static String replyMismatch(ByteBuf reply, int source, int target) {
        Ipv4Packet ip = new Ipv4Packet().wrap(reply);
        if (reply.readableBytes() != Ipv4Packet.MIN_HEADER_LENGTH + IcmpMessage.HEADER_LENGTH + PAYLOAD) {
            return reply.readableBytes() + " bytes";
        }
        if (ip.source() != target || ip.destination() != source) {
            return "from " + IpCidr.ipv4(ip.source(), 32).addressText() + " to "
                    + IpCidr.ipv4(ip.destination(), 32).addressText();
        }
        if (ip.check() != null) {
            return "a bad IPv4 header (" + ip.check() + ")";
        }
        IcmpMessage icmp = new IcmpMessage().wrapPayloadOf(ip);
        if (icmp.type() != IcmpMessage.V4.ECHO_REPLY || icmp.identifier() != IDENT || icmp.sequence() != SEQUENCE) {
            return "not the echo reply to the request (type " + icmp.type() + ")";
        }
        if (!icmp.isChecksumValid()) {
            return "a bad ICMP checksum";
        }
        int data = icmp.offset() + IcmpMessage.HEADER_LENGTH;
        for (int i = 0; i < PAYLOAD; i++) {
            if (reply.getUnsignedByte(data + i) != i) {
                return "payload byte " + i + " changed";
            }
        }
        assert InternetChecksum.isValid(reply, ip.offset(), Ipv4Packet.MIN_HEADER_LENGTH);
        return null;
    }
}
