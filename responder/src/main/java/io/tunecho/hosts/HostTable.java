package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The virtual hosts: a longest-prefix-match table from addresses to {@link HostEntry}s. Every address of the answered
 * prefixes behaves as the {@code default} profile says; each entry of the {@code hosts} list gives the addresses
 * it matches a profile, settings and a timeline of their own (and is answered even outside the answered prefixes).
 * Never answered: the interface's own address, and the network and broadcast addresses of the interface's subnet
 * and of each answered IPv4 prefix of length 30 or less.
 *
 * <p>Immutable: a new configuration builds a new table, which carries over the counters of the entries it keeps
 * and the phase of their timelines where their definition did not change. Lookups allocate nothing.
 */
public final class HostTable {
    private final PrefixTable<HostEntry> table;
    private final List<IpCidr> answered;
    private final List<HostEntry> entries;
    private final IpCidr interfaceAddress;
    private final IpCidr defaultGateway;
    private final IpCidr defaultGateway6;
    private final HostConfig config;
    /** The subnets' IPv4 broadcast addresses, a few at most: a martian source, checked for every packet. */
    private final int[] ipv4Broadcasts;

    private HostTable(PrefixTable<HostEntry> table, List<IpCidr> answered, List<HostEntry> entries,
            HostConfig config, IpCidr defaultGateway, IpCidr defaultGateway6, int[] ipv4Broadcasts) {
        this.defaultGateway6 = defaultGateway6;
        this.ipv4Broadcasts = ipv4Broadcasts;
        this.table = table;
        this.answered = answered;
        this.entries = entries;
        this.interfaceAddress = config.interfaceAddress();
        this.defaultGateway = defaultGateway;
        this.config = config;
    }

    /** A table of the answered prefixes alone, every host behaving as Linux does. */
    public static HostTable forInterface(IpCidr interfaceAddress, List<IpCidr> answer) {
        return build(HostConfig.answering(interfaceAddress, answer), null, Clock.SYSTEM);
    }

    /**
     * Builds the table for a configuration.
     *
     * @param previous the table in use, whose counters and timeline phases carry over; or {@code null}
     * @throws IllegalArgumentException naming the entry (its source) and what is wrong: an unknown profile, an
     *                                  entry that is the interface's own address, an unreachable host without a
     *                                  gateway that tunecho answers for
     */
    public static HostTable build(HostConfig config, HostTable previous, Clock clock) {
        long now = clock.nanoTime();
        Map<IpCidr, HostEntry> carried = new HashMap<>();
        if (previous != null) {
            for (HostEntry e : previous.entries) {
                carried.put(e.match(), e);
            }
        }
        HostSettings defaults = HostSettings.BUILT_IN.overriddenBy(
                config.profiles().getOrDefault(HostConfig.DEFAULT_PROFILE, HostSettings.EMPTY));
        List<IpCidr> answered = new ArrayList<>();
        for (IpCidr p : config.answer().isEmpty() ? config.subnets() : config.answer()) {
            answered.add(p.subnet());
        }
        Map<IpCidr, HostEntry> byMatch = new LinkedHashMap<>();
        for (IpCidr p : answered) {
            byMatch.put(p, entry(p, HostConfig.DEFAULT_PROFILE, "answer", defaults, HostSettings.EMPTY, 0,
                    carried.get(p), now));
        }
        Map<String, HostSettings> layeredProfiles = new HashMap<>(); // each profile over the defaults, once
        layeredProfiles.put(HostConfig.DEFAULT_PROFILE, defaults);
        for (HostSpec spec : config.hosts()) {
            String profile = spec.profile() == null ? HostConfig.DEFAULT_PROFILE : spec.profile();
            HostSettings layered = layeredProfiles.get(profile);
            if (layered == null) {
                HostSettings p = config.profiles().get(profile);
                if (p == null) {
                    throw new IllegalArgumentException(spec.source() + ": profile '" + profile + "' is not defined"
                            + knownProfiles(config));
                }
                layered = defaults.overriddenBy(p);
                layeredProfiles.put(profile, layered);
            }
            byMatch.put(spec.match(), entry(spec.match(), profile, spec.source(),
                    layered.overriddenBy(spec.settings()), spec.override(), spec.staggerNanos(),
                    carried.get(spec.match()), now));
        }
        addHops(byMatch, defaults, carried, now);
        PrefixTable.Builder<HostEntry> b = PrefixTable.builder();
        byMatch.forEach(b::put);
        List<HostEntry> excluded = new ArrayList<>();
        excludeSubnetEnds(excluded, config.interfaceAddress().subnet());
        for (IpCidr p : answered) {
            excludeSubnetEnds(excluded, p);
        }
        excluded.add(HostEntry.excluded(config.interfaceAddress().address(), HostEntry.Role.OWN_ADDRESS));
        if (config.interfaceAddress6() != null) {
            IpCidr own6 = config.interfaceAddress6();
            excluded.add(HostEntry.excluded(own6.address(), HostEntry.Role.OWN_ADDRESS));
            if (own6.prefixLength() < 127) { // the subnet-router anycast address: for routers, not hosts
                IpCidr anycast = own6.subnet().address();
                excluded.add(HostEntry.excluded(anycast, HostEntry.Role.NETWORK));
            }
        }
        for (HostEntry x : excluded) {
            for (HostSpec spec : config.hosts()) {
                if (spec.match().equals(x.match())) {
                    throw new IllegalArgumentException(spec.source() + ": " + x.match().addressText() + " is the "
                            + (x.role() == HostEntry.Role.OWN_ADDRESS ? "interface's own address (the kernel answers "
                            + "it)" : "subnet's " + x.role() + " address") + ", not a host");
                }
            }
            HostEntry hop = byMatch.get(x.match());
            if (hop != null && hop.source().startsWith("hop of ")) {
                throw new IllegalArgumentException(hop.source().substring("hop of ".length()) + ": hop "
                        + x.match().addressText() + " is the " + (x.role() == HostEntry.Role.OWN_ADDRESS
                        ? "interface's own address" : "subnet's " + x.role() + " address") + ", not a router");
            }
            b.put(x.match(), x);
        }
        IpCidr gateway = defaultGateway(config.interfaceAddress());
        IpCidr gateway6 = config.interfaceAddress6() == null ? null : defaultGateway6(config.interfaceAddress6());
        int[] broadcasts = excluded.stream().filter(x -> x.role() == HostEntry.Role.BROADCAST)
                .mapToInt(x -> x.match().ipv4Address()).distinct().toArray();
        HostTable t = new HostTable(b.build(), List.copyOf(answered), List.copyOf(byMatch.values()), config, gateway,
                gateway6, broadcasts);
        t.checkGateways();
        return t;
    }

    /**
     * The virtual routers named in {@code hops} (every router of every choice): each is a host too, so an address that
     * no entry answers gets an entry of its own (the default profile); a hop must be of its host's IP version.
     */
    private static void addHops(Map<IpCidr, HostEntry> byMatch, HostSettings defaults, Map<IpCidr, HostEntry> carried,
            long now) {
        LinkedHashMap<IpCidr, String> hops = new LinkedHashMap<>();
        for (HostEntry e : byMatch.values()) {
            collectHops(e, e.baseBehaviour(), hops);
            if (e.timeline() != null) {
                for (int i = 0; i < e.timeline().size(); i++) {
                    collectHops(e, e.timeline().step(i), hops);
                }
            }
        }
        if (hops.isEmpty()) {
            return;
        }
        PrefixTable.Builder<HostEntry> t = PrefixTable.builder();
        byMatch.forEach(t::put);
        PrefixTable<HostEntry> known = t.build();
        for (Map.Entry<IpCidr, String> h : hops.entrySet()) {
            if (known.lookup(h.getKey()) == null && !byMatch.containsKey(h.getKey())) {
                byMatch.put(h.getKey(), entry(h.getKey(), HostConfig.DEFAULT_PROFILE, h.getValue(), defaults,
                        HostSettings.EMPTY, 0, carried.get(h.getKey()), now));
            }
        }
    }

    private static void collectHops(HostEntry e, Behaviour b, Map<IpCidr, String> hops) {
        for (Hop hop : b.hops()) {
            for (IpCidr router : hop.routers()) {
                if (router.isIpv6() != e.match().isIpv6()) {
                    throw new IllegalArgumentException(e.source() + ": hop " + router.addressText() + " of "
                            + e.match() + " is of the other IP version");
                }
                hops.putIfAbsent(router.address(), "hop of " + e.match());
            }
        }
    }

    private static String knownProfiles(HostConfig config) {
        TreeSet<String> names = new TreeSet<>(config.profiles().keySet());
        names.add(HostConfig.DEFAULT_PROFILE);
        return " (profiles: " + String.join(", ", names) + ")";
    }

    private static HostEntry entry(IpCidr match, String profile, String source, HostSettings layered,
            HostSettings override, long stagger, HostEntry previous, long now) {
        TimelineSpec overTimeline = override.get(HostSetting.TIMELINE);
        TimelineSpec timelineSpec = overTimeline != null ? overTimeline : layered.get(HostSetting.TIMELINE);
        HostSettings over = overTimeline == null ? override
                : override.toBuilder().set(HostSetting.TIMELINE, null).build();
        HostSettings plain = layered.get(HostSetting.TIMELINE) == null ? layered
                : layered.toBuilder().set(HostSetting.TIMELINE, null).build();
        Behaviour base = behaviour(source, plain.overriddenBy(over));
        Timeline timeline = null;
        if (timelineSpec != null) {
            Behaviour[] steps = new Behaviour[timelineSpec.steps().size()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = behaviour(source,
                        plain.overriddenBy(timelineSpec.steps().get(i).settings()).overriddenBy(over));
            }
            timeline = new Timeline(timelineSpec, steps);
        }
        HostCounters counters = previous != null && previous.counters() != null ? previous.counters()
                : new HostCounters();
        long epoch = now;
        if (previous != null && timeline != null && timeline.equals(previous.timeline())
                && base.equals(previous.baseBehaviour()) && stagger == previous.staggerNanos()) {
            epoch = previous.epochNanos(); // unchanged: the timeline keeps its phase
        }
        return new HostEntry(match, HostEntry.Role.HOST, profile, source, base, timeline, stagger, epoch, counters);
    }

    /** The behaviour of resolved settings; a combination that cannot work is an error naming the entry. */
    private static Behaviour behaviour(String source, HostSettings settings) {
        try {
            return new Behaviour(settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static void excludeSubnetEnds(List<HostEntry> excluded, IpCidr p) {
        if (p.isIpv4() && p.prefixLength() <= 30) {
            excluded.add(HostEntry.excluded(IpCidr.ipv4(p.ipv4Network(), 32), HostEntry.Role.NETWORK));
            excluded.add(HostEntry.excluded(IpCidr.ipv4(p.ipv4Broadcast(), 32), HostEntry.Role.BROADCAST));
        }
    }

    /** The interface subnet's last host address (198.18.0.254 for 198.18.0.1/24), or {@code null} for a /31 or /32. */
    private static IpCidr defaultGateway(IpCidr interfaceAddress) {
        if (interfaceAddress.prefixLength() > 30) {
            return null;
        }
        int g = interfaceAddress.ipv4Broadcast() - 1;
        if (g == interfaceAddress.ipv4Address()) {
            g--;
        }
        return IpCidr.ipv4(g, 32);
    }

    /** The IPv6 subnet's last address but one, or {@code null} for a /127 or /128. */
    private static IpCidr defaultGateway6(IpCidr address6) {
        if (address6.prefixLength() >= 127) {
            return null;
        }
        IpCidr net = address6.subnet();
        long hi = net.high() | ~io.tunecho.wire.IpAddresses.highMask(address6.prefixLength());
        long lo = net.low() | ~io.tunecho.wire.IpAddresses.lowMask(address6.prefixLength());
        IpCidr g = IpCidr.ipv6(hi, lo - 1, 128);
        return g.equals(address6.address()) ? IpCidr.ipv6(hi, lo - 2, 128) : g;
    }

    /** Every unreachable host needs a gateway to report it, and tunecho must answer for that address. */
    private void checkGateways() {
        for (HostEntry e : entries) {
            checkGateway(e, e.baseBehaviour());
            if (e.timeline() != null) {
                for (int i = 0; i < e.timeline().size(); i++) {
                    checkGateway(e, e.timeline().step(i));
                }
            }
        }
    }

    private void checkGateway(HostEntry e, Behaviour b) {
        if (b.state() != HostState.UNREACHABLE && b.gateway() == null) {
            return;
        }
        IpCidr g = gatewayFor(e, b);
        if (g == null) {
            throw new IllegalArgumentException(e.source() + ": " + e.match() + " is unreachable but has no gateway to "
                    + "report it; set 'gateway' to an answered address");
        }
        if (g.isIpv6() != e.match().isIpv6()) {
            throw new IllegalArgumentException(e.source() + ": gateway " + g.addressText() + " of " + e.match()
                    + " is of the other IP version");
        }
        if (!answers(g)) {
            throw new IllegalArgumentException(e.source() + ": gateway " + g.addressText() + " of " + e.match()
                    + " is not an address tunecho answers for (the kernel would not accept ICMP from it)");
        }
    }

    /** The address that reports the entry unreachable: its behaviour's gateway, or the table's default. */
    public IpCidr gatewayFor(HostEntry e, Behaviour b) {
        if (b.gateway() != null && b.gateway().isIpv6() == e.match().isIpv6()) {
            return b.gateway();
        }
        return e.match().isIpv6() ? defaultGateway6 : defaultGateway;
    }

    /** Whether a virtual host answers this address. */
    public boolean answers(IpCidr address) {
        HostEntry e = address.isIpv4() ? lookupIpv4(address.ipv4Address())
                : lookupIpv6(address.high(), address.low());
        return e != null && e.isHost();
    }

    /** The entry for an IPv4 address, or {@code null} when no entry covers it. */
    public HostEntry lookupIpv4(int address) {
        return table.lookupIpv4(address);
    }

    /** The entry for an IPv6 address, or {@code null}. */
    public HostEntry lookupIpv6(long hi, long lo) {
        return table.lookupIpv6(hi, lo);
    }

    /**
     * Whether the IPv4 address is a broadcast address of the subnets (its entry's role is
     * {@link HostEntry.Role#BROADCAST}), without a lookup: a few compares.
     */
    public boolean isIpv4Broadcast(int address) {
        for (int b : ipv4Broadcasts) {
            if (b == address) {
                return true;
            }
        }
        return false;
    }

    /** Whether a virtual host answers this IPv4 address. */
    public boolean answersIpv4(int address) {
        HostEntry e = lookupIpv4(address);
        return e != null && e.isHost();
    }

    /** The address that reports an unreachable host whose behaviour names no gateway. */
    public IpCidr defaultGateway() {
        return defaultGateway;
    }

    /** The IPv6 address that reports an unreachable IPv6 host whose behaviour names no gateway, or {@code null}. */
    public IpCidr defaultGateway6() {
        return defaultGateway6;
    }

    /** The answered prefixes, host bits cleared. */
    public List<IpCidr> answered() {
        return answered;
    }

    /** The entries of virtual hosts: the answered prefixes, then the {@code hosts} entries, in order. */
    public List<HostEntry> entries() {
        return entries;
    }

    /** What this table was built from. */
    public HostConfig config() {
        return config;
    }

    /**
     * The prefixes of virtual hosts that lie outside the interface's subnet and outside every other such prefix:
     * each needs a route into the interface.
     */
    public List<IpCidr> routesOutside(IpCidr subnet) {
        return routesOutside(List.of(subnet.subnet()));
    }

    /** The routes needed beside the interface's own subnets (see {@link #routesOutside(IpCidr)}). */
    public List<IpCidr> routesOutside(List<IpCidr> subnets) {
        Set<IpCidr> candidates = new LinkedHashSet<>();
        TreeSet<Integer> lengths = new TreeSet<>();
        for (HostEntry e : entries) {
            boolean inside = false;
            for (IpCidr subnet : subnets) {
                inside |= subnet.subnet().contains(e.match());
            }
            if (!inside) {
                candidates.add(e.match());
                lengths.add(e.match().prefixLength() + (e.match().isIpv6() ? 1000 : 0));
            }
        }
        List<IpCidr> routes = new ArrayList<>();
        for (IpCidr c : candidates) {
            boolean covered = false;
            int base = c.isIpv6() ? 1000 : 0;
            for (int l : lengths.subSet(base, base + c.prefixLength())) {
                if (candidates.contains(within(c, l - base))) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                routes.add(c);
            }
        }
        return routes;
    }

    /** The prefix of length {@code length} that contains {@code c}. */
    private static IpCidr within(IpCidr c, int length) {
        return (c.isIpv4() ? IpCidr.ipv4(c.ipv4Address(), length) : IpCidr.ipv6(c.high(), c.low(), length)).subnet();
    }

    public PrefixTable<HostEntry> prefixes() {
        return table;
    }

    /**
     * {@code 198.18.0.0/24 except 198.18.0.1}, each answered prefix outside the interface's subnet marked
     * {@code (routed)} (so that an answer list that no longer matches the interface shows in the start-up line),
     * and the number of host entries.
     */
    @Override
    public String toString() {
        StringBuilder d = new StringBuilder();
        for (IpCidr p : answered) {
            d.append(d.length() == 0 ? "" : ", ").append(p);
            boolean inside = false;
            for (IpCidr subnet : config.subnets()) {
                inside |= subnet.contains(p);
            }
            if (!inside) {
                d.append(" (routed: outside ").append(p.isIpv4() ? interfaceAddress.subnet()
                        : config.interfaceAddress6() == null ? "the IPv4 subnet" : config.interfaceAddress6().subnet())
                        .append(')');
            }
        }
        d.append(" except ").append(interfaceAddress.addressText());
        if (config.interfaceAddress6() != null) {
            d.append(", ").append(config.interfaceAddress6().addressText());
        }
        int hosts = config.hosts().size();
        if (hosts > 0) {
            d.append("; ").append(hosts).append(hosts == 1 ? " host entry" : " host entries");
        }
        if (!config.profiles().isEmpty()) {
            d.append(", ").append(config.profiles().size()).append(config.profiles().size() == 1 ? " profile"
                    : " profiles");
        }
        return d.toString();
    }
}
