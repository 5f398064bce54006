package io.tunecho.app;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.tunecho.app.config.Transport;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.handler.PacketCounters;
import io.tunecho.handler.ResponderPipeline;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;

import java.io.PrintStream;

/**
 * {@code --check}: everything a start does short of opening the TUN device. The configuration is valid (the command
 * line already checked it), the transport's native library loads, and the answering pipeline that the server would
 * run answers an echo request to the first answered address. Needs no privileges and no {@code /dev/net/tun}, so
 * it also serves as the training run of a class-data-sharing archive in a container image build.
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    static int run(TunechoConfig config, PrintStream out, PrintStream err) {
        try {
            if (config.transport() == Transport.IO_URING && IoUring.isAvailable()) {
                IoUring.ensureAvailability();
            } else {
                Epoll.ensureAvailability();
            }
        } catch (Throwable t) {
            err.println("tunecho: " + Main.describe(t));
            return Main.EXIT_RUNTIME;
        }
        HostTable hosts;
        try {
            hosts = TunechoServer.hostTable(config, null);
        } catch (io.tunecho.app.config.ConfigException e) {
            err.println("tunecho: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        PacketCounters counters = new PacketCounters();
        EmbeddedChannel channel = new EmbeddedChannel();
        ResponderPipeline.builder(counters, () -> hosts).build().addTo(channel.pipeline());
        IpCidr first = hosts.answered().get(0);
        int target = first.ipv4Address() + (first.prefixLength() < 31 ? 1 : 0);
        if (target == config.interfaceAddress().ipv4Address()) {
            target++;
        }
        channel.writeInbound(echoRequest(config.interfaceAddress().ipv4Address(), target));
        ByteBuf reply = channel.readOutbound();
        boolean answered = reply != null;
        if (reply != null) {
            reply.release();
        }
        channel.finishAndReleaseAll();
        if (!answered || counters.repliedCount() != 1) {
            err.println("tunecho: the configuration builds, but its pipeline did not answer "
                    + IpCidr.ipv4(target, 32).addressText() + " (" + counters + ")");
            return Main.EXIT_RUNTIME;
        }
        out.println("tunecho: configuration OK (" + config.interfaceName() + " " + config.interfaceAddress()
                + ", mtu " + config.mtu() + ", " + config.transport() + "): " + hosts);
        return Main.EXIT_OK;
    }

    /** A 64-byte echo request, checksums filled. */
    private static ByteBuf echoRequest(int src, int dst) {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(84);
        b.writeZero(84);
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0);
        ip.setHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        ip.setTotalLength(84);
        ip.setTtl(64);
        ip.setProtocol(IcmpMessage.PROTOCOL_V4);
        ip.setSource(src);
        ip.setDestination(dst);
        ip.fillChecksum();
        b.setByte(20, IcmpMessage.V4.ECHO_REQUEST);
        new IcmpMessage().wrapPayloadOf(ip).fillChecksum();
        return b;
    }
}
