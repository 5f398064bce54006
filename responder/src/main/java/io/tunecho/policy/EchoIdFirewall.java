package io.tunecho.policy;

import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.EchoIdFilter;
import io.tunecho.hosts.SlotTable;
import io.tunecho.packet.PacketContext;
import io.tunecho.wire.IcmpMessage;

/**
 * The stateful firewall of {@code echo-id-filter}: remembers, per source, destination and ICMP echo identifier,
 * when the identifier was first and last seen, and drops an echo request whose identifier has been seen for longer
 * than the filter's {@code after}. An identifier unseen for the filter's {@code idle} is forgotten (its next request
 * starts afresh); a dropped request counts as seen. Other packets pass.
 *
 * <p>Kept per channel in a {@link SlotTable} (a few slots per flow; when they are all taken the least recently seen
 * is given up), its columns made on first use: nothing is allocated per packet.
 */
final class EchoIdFirewall {
    /** Flows remembered (a power of two). */
    static final int CAPACITY = 4096;
    private static final int PROBES = 4;

    private final PacketContext packet;
    private final SlotTable flows = new SlotTable(CAPACITY, PROBES);
    private long[] firstSeen;
    private long[] lastSeen;

    EchoIdFirewall(PacketContext packet) {
        this.packet = packet;
    }

    /**
     * Whether the packet, to the host at {@code hostKey} (an {@link AddressStates} key) at {@code now}, is an echo
     * request that {@code filter} drops.
     */
    boolean drops(EchoIdFilter filter, long hostKey, long now) {
        boolean v6 = packet.isIpv6();
        IcmpMessage icmp;
        if (packet.ip().upperLayerProtocol() != (v6 ? IcmpMessage.PROTOCOL_V6 : IcmpMessage.PROTOCOL_V4)
                || !(icmp = packet.icmp()).hasHeader()
                || icmp.type() != (v6 ? IcmpMessage.V6.ECHO_REQUEST : IcmpMessage.V4.ECHO_REQUEST)) {
            return false;
        }
        long source = v6 ? AddressStates.ipv6Key(packet.ipv6().sourceHigh(), packet.ipv6().sourceLow())
                : AddressStates.ipv4Key(packet.ipv4().source());
        long key = AddressStates.pairKey(source, hostKey ^ (long) icmp.identifier() << 40);
        int slot = slot(key, filter.idleNanos(), now);
        lastSeen[slot] = now;
        return now - firstSeen[slot] > filter.afterNanos();
    }

    /** The slot of the flow, seen before within {@code idle}, or claimed afresh (first seen now). */
    private int slot(long key, long idle, long now) {
        int slot = flows.slot(key);
        if (firstSeen == null) {
            firstSeen = new long[CAPACITY];
            lastSeen = new long[CAPACITY];
        }
        if (flows.claimed() || now - lastSeen[slot] > idle) {
            firstSeen[slot] = now; // new, or forgotten: seen afresh
        }
        return slot;
    }
}
