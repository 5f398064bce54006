package io.tunecho.handler;

import io.tunecho.wire.Ipv4Cidr;

import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 addresses tunecho answers for: every address of the configured prefixes, except the interface's own
 * address (the kernel's side, which the kernel answers itself) and except the network and broadcast addresses of
 * the interface's subnet and of each answered prefix of length 30 or less. Lookups loop over a few int masks and
 * allocate nothing.
 */
public final class AnswerSet {
    private final int[] networks;
    private final int[] masks;
    private final int[] excluded;
    private final int[] broadcasts;
    private final String description;

    private AnswerSet(List<Ipv4Cidr> prefixes, List<Integer> excluded, List<Integer> broadcasts, String description) {
        this.networks = prefixes.stream().mapToInt(Ipv4Cidr::network).toArray();
        this.masks = prefixes.stream().mapToInt(Ipv4Cidr::netmask).toArray();
        this.excluded = excluded.stream().mapToInt(Integer::intValue).distinct().toArray();
        this.broadcasts = broadcasts.stream().mapToInt(Integer::intValue).distinct().toArray();
        this.description = description;
    }

    /**
     * @param interfaceAddress the kernel's address and prefix on the interface
     * @param answer           the prefixes to answer; {@code null} or empty means the interface's subnet
     */
    public static AnswerSet forInterface(Ipv4Cidr interfaceAddress, List<Ipv4Cidr> answer) {
        List<Ipv4Cidr> prefixes = answer == null || answer.isEmpty()
                ? List.of(interfaceAddress.subnet()) : List.copyOf(answer);
        List<Integer> excluded = new ArrayList<>();
        List<Integer> broadcasts = new ArrayList<>();
        excluded.add(interfaceAddress.address());
        addSubnetEnds(interfaceAddress, excluded, broadcasts);
        for (Ipv4Cidr p : prefixes) {
            addSubnetEnds(p, excluded, broadcasts);
        }
        StringBuilder d = new StringBuilder();
        for (Ipv4Cidr p : prefixes) {
            d.append(d.length() == 0 ? "" : ", ").append(p.subnet());
        }
        d.append(" except ").append(Ipv4Cidr.format(interfaceAddress.address()));
        return new AnswerSet(prefixes, excluded, broadcasts, d.toString());
    }

    private static void addSubnetEnds(Ipv4Cidr p, List<Integer> excluded, List<Integer> broadcasts) {
        if (p.prefixLength() <= 30) {
            excluded.add(p.network());
            excluded.add(p.broadcast());
            broadcasts.add(p.broadcast());
        }
    }

    /** Whether tunecho answers echo requests to {@code address}. */
    public boolean contains(int address) {
        for (int e : excluded) {
            if (e == address) {
                return false;
            }
        }
        for (int i = 0; i < networks.length; i++) {
            if ((address & masks[i]) == networks[i]) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code address} is the (directed) broadcast address of the interface's subnet or an answered prefix. */
    public boolean isSubnetBroadcast(int address) {
        for (int b : broadcasts) {
            if (b == address) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return description;
    }
}
