package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.hosts.ProbeRecord;
import io.tunecho.hosts.ProbeTable.Protocol;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.samples.Packets;
import io.tunecho.samples.TcpPackets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The pipeline records the probes of a host, whatever the host does with them, and nothing that is not a probe. */
class ProbeTrackingTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private static final int HOST = 0xC612000A; // 198.18.0.10, down
    private static final int ELSEWHERE = 0xC6130005; // 198.19.0.5, not answered

    private final ManualClock clock = new ManualClock();
    private final PacketCounters counters = new PacketCounters();
    private final ProbeTable probes = new ProbeTable(100, clock);
    private final List<ByteBuf> fed = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final HostTable table = HostTable.build(new HostConfig(IFACE, List.of(), Map.of(), List.of(new HostSpec(
            IpCidr.ipv4(HOST, 32), null, HostSettings.of(HostSetting.STATE, HostState.DOWN), 0, "test"))), null,
            clock);

    ProbeTrackingTest() {
        ResponderPipeline.builder(counters, () -> table).clock(clock).seed(1).probes(probes).build()
                .addTo(channel.pipeline());
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a packet was not released");
        }
    }

    private void send(ByteBuf b) {
        fed.add(b);
        channel.writeInbound(b);
    }

    @Test
    void aPingASynAndAUdpDatagramToADownHostAreProbesAndATcpAckIsNot() {
        long start = clock.currentTimeMillis();
        send(new Packets.Builder().dst(HOST).buf());
        clock.advance(100, TimeUnit.MILLISECONDS);
        send(new TcpPackets.Segment().dst(HOST).flags(TcpPackets.SYN).buf());
        clock.advance(100, TimeUnit.MILLISECONDS);
        send(new TcpPackets.Segment().dst(HOST).flags(TcpPackets.ACK).ack(5).buf());
        send(new TcpPackets.Segment().dst(HOST).flags(TcpPackets.SYN | TcpPackets.ACK).ack(5).buf());
        send(new Packets.Builder().dst(HOST).protocol(17).buf());
        send(new Packets.Builder().dst(HOST).icmpType(13).buf()); // a timestamp request: no echo
        send(new Packets.Builder().dst(ELSEWHERE).buf());

        assertEquals(6, counters.dropped(DropReason.HOST_DOWN), "the host is down: nothing answered");
        ProbeRecord r = probes.get(IpCidr.ipv4(HOST, 32));
        assertEquals(3, r.probes());
        assertEquals(start, r.firstMillis());
        assertEquals(start + 200, r.lastMillis());
        assertEquals(List.of(Protocol.ICMP_ECHO, Protocol.TCP_SYN, Protocol.UDP), List.copyOf(r.byProtocol()
                .keySet()));
        assertEquals(1, r.byProtocol().get(Protocol.TCP_SYN).probes(), "neither the ACK nor the SYN-ACK counts");
        assertEquals(start + 100, r.byProtocol().get(Protocol.TCP_SYN).lastMillis());
        assertEquals(List.of(IpCidr.ipv4(Packets.HOST, 32)), r.sources());
        assertEquals(3, table.lookupIpv4(HOST).counters().probes());
        assertEquals(6, table.lookupIpv4(HOST).counters().requests());
        assertNull(probes.get(IpCidr.ipv4(ELSEWHERE, 32)), "not answered: not tracked");
        assertEquals(1, probes.size());
    }

    @Test
    void anIpv6PingIsAProbeOfItsDestination() {
        HostTable v6 = HostTable.build(new HostConfig(IFACE, IpCidr.parse("fd00:198:18::1/64"), List.of(
                IpCidr.parse("fd00:198:18::/64")), Map.of(), List.of()), null, clock);
        EmbeddedChannel ch = new EmbeddedChannel();
        ResponderPipeline.builder(counters, () -> v6).clock(clock).seed(1).probes(probes).build()
                .addTo(ch.pipeline());
        try {
            ByteBuf syn = new TcpPackets.Segment().v6().flags(TcpPackets.SYN).buf();
            fed.add(syn);
            ch.writeInbound(syn);
            ProbeRecord r = probes.get(IpCidr.parse("fd00:198:18::2"));
            assertEquals(1, r.byProtocol().get(Protocol.TCP_SYN).probes());
            assertEquals(List.of(IpCidr.parse("fd00:198:18::1/128")), r.sources());
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
