package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses tunecho answers for, as a longest-prefix-match table of {@link HostEntry}s: every address of the
 * answered prefixes, except the interface's own address and the network and broadcast addresses of the
 * interface's subnet and of each answered IPv4 prefix of length 30 or less. Immutable; lookups allocate nothing.
 */
public final class HostTable {
    private final PrefixTable<HostEntry> table;
    private final List<IpCidr> answered;
    private final IpCidr interfaceAddress;

    private HostTable(PrefixTable<HostEntry> table, List<IpCidr> answered, IpCidr interfaceAddress) {
        this.table = table;
        this.answered = answered;
        this.interfaceAddress = interfaceAddress;
    }

    /**
     * @param interfaceAddress the kernel's IPv4 address and prefix on the interface
     * @param answer           the prefixes to answer; empty means the interface's subnet
     */
    public static HostTable forInterface(IpCidr interfaceAddress, List<IpCidr> answer) {
        List<IpCidr> prefixes = new ArrayList<>();
        for (IpCidr p : answer.isEmpty() ? List.of(interfaceAddress.subnet()) : answer) {
            prefixes.add(p.subnet());
        }
        PrefixTable.Builder<HostEntry> b = PrefixTable.builder();
        for (IpCidr p : prefixes) {
            b.put(p, new HostEntry(p, HostEntry.Role.HOST));
        }
        excludeSubnetEnds(b, interfaceAddress.subnet());
        for (IpCidr p : prefixes) {
            excludeSubnetEnds(b, p);
        }
        IpCidr own = interfaceAddress.address();
        b.put(own, new HostEntry(own, HostEntry.Role.OWN_ADDRESS));
        return new HostTable(b.build(), List.copyOf(prefixes), interfaceAddress);
    }

    private static void excludeSubnetEnds(PrefixTable.Builder<HostEntry> b, IpCidr p) {
        if (p.isIpv4() && p.prefixLength() <= 30) {
            IpCidr network = IpCidr.ipv4(p.ipv4Network(), 32);
            IpCidr broadcast = IpCidr.ipv4(p.ipv4Broadcast(), 32);
            b.put(network, new HostEntry(network, HostEntry.Role.NETWORK));
            b.put(broadcast, new HostEntry(broadcast, HostEntry.Role.BROADCAST));
        }
    }

    /** The entry for an IPv4 address, or {@code null} when no entry covers it. */
    public HostEntry lookupIpv4(int address) {
        return table.lookupIpv4(address);
    }

    /** The entry for an IPv6 address, or {@code null}. */
    public HostEntry lookupIpv6(long hi, long lo) {
        return table.lookupIpv6(hi, lo);
    }

    /** Whether a virtual host answers this IPv4 address. */
    public boolean answersIpv4(int address) {
        HostEntry e = lookupIpv4(address);
        return e != null && e.isHost();
    }

    /** The answered prefixes, host bits cleared. */
    public List<IpCidr> answered() {
        return answered;
    }

    /** The answered prefixes that lie outside the interface's subnet: each needs a route into the interface. */
    public List<IpCidr> routesOutside(IpCidr subnet) {
        List<IpCidr> routes = new ArrayList<>();
        for (IpCidr p : answered) {
            if (!subnet.subnet().contains(p)) {
                routes.add(p);
            }
        }
        return routes;
    }

    public PrefixTable<HostEntry> prefixes() {
        return table;
    }

    /**
     * {@code 198.18.0.0/24 except 198.18.0.1}, and for each answered prefix outside the interface's subnet
     * {@code (routed)}, so that an answer list that no longer matches the interface shows in the start-up line.
     */
    @Override
    public String toString() {
        StringBuilder d = new StringBuilder();
        IpCidr subnet = interfaceAddress.subnet();
        for (IpCidr p : answered) {
            d.append(d.length() == 0 ? "" : ", ").append(p);
            if (!subnet.contains(p)) {
                d.append(" (routed: outside ").append(subnet).append(')');
            }
        }
        return d.append(" except ").append(interfaceAddress.addressText()).toString();
    }
}
