package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.Locale;

/**
 * What the host table maps an address to: a range of virtual hosts with their behaviour (an answered prefix, or an
 * entry of the {@code hosts} list), or one of the addresses within answered ranges that no host answers (the
 * interface's own address, which the kernel answers itself; a subnet's network and broadcast addresses).
 */
public final class HostEntry {
    /** What the addresses of an entry are. */
    public enum Role {
        /** Answered: virtual hosts. */
        HOST,
        /** The kernel's own address on the interface: the kernel answers it, never routes it here. */
        OWN_ADDRESS,
        /** A subnet's network address (host bits all zero): no host. */
        NETWORK,
        /** A subnet's directed broadcast address: never answered, and never a valid source. */
        BROADCAST;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final IpCidr match;
    private final Role role;
    private final String profile;
    private final String source;
    private final Behaviour base;
    private final Timeline timeline;
    private final long staggerNanos;
    private final long epochNanos;
    private final HostCounters counters;

    HostEntry(IpCidr match, Role role, String profile, String source, Behaviour base, Timeline timeline,
            long staggerNanos, long epochNanos, HostCounters counters) {
        this.match = match.subnet();
        this.role = role;
        this.profile = profile;
        this.source = source;
        this.base = base;
        this.timeline = timeline;
        this.staggerNanos = staggerNanos;
        this.epochNanos = epochNanos;
        this.counters = counters;
    }

    /** An entry for addresses that no host answers. */
    static HostEntry excluded(IpCidr match, Role role) {
        return new HostEntry(match, role, null, "interface", null, null, 0, 0, null);
    }

    /** The prefix this entry answers for (host bits cleared). */
    public IpCidr match() {
        return match;
    }

    public Role role() {
        return role;
    }

    public boolean isHost() {
        return role == Role.HOST;
    }

    /** The profile's name ({@code default} when none was named). */
    public String profile() {
        return profile;
    }

    /** Where the entry was defined: {@code answer}, {@code file:line}, {@code api}. */
    public String source() {
        return source;
    }

    /** The behaviour outside any timeline step. */
    public Behaviour baseBehaviour() {
        return base;
    }

    /** The timeline, or {@code null}. */
    public Timeline timeline() {
        return timeline;
    }

    public long staggerNanos() {
        return staggerNanos;
    }

    /** When the timeline started ({@link Clock#nanoTime()}'s scale). */
    public long epochNanos() {
        return epochNanos;
    }

    public HostCounters counters() {
        return counters;
    }

    /**
     * How far into its timeline the address {@code offset} places after the entry's first is at {@code now}: each
     * address starts {@link #staggerNanos()} after the previous one.
     */
    public long elapsedNanos(long now, long offset) {
        return now - epochNanos - staggerNanos * offset;
    }

    /**
     * The behaviour at {@code now} of the address {@code offset} places after the entry's first (0 without a
     * stagger). Reads a few fields; allocates nothing.
     */
    public Behaviour behaviourAt(long now, long offset) {
        if (timeline == null) {
            return base;
        }
        int step = timeline.stepAt(elapsedNanos(now, offset));
        return step < 0 ? base : timeline.step(step);
    }

    /** Whether the behaviour changes with time (a timeline): else {@link #baseBehaviour()} holds. */
    public boolean isTimed() {
        return timeline != null;
    }

    /** The address's place after the entry's first, for an IPv4 address within the entry. */
    public long offsetOfIpv4(int address) {
        return (address - match.ipv4Network()) & 0xFFFFFFFFL;
    }

    @Override
    public String toString() {
        return match + (role == Role.HOST ? "" : " (" + role + ")");
    }
}
