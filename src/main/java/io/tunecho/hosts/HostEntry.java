package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

/**
 * What the host table maps an address to: an answered range, or one of the addresses within answered ranges that
 * no host answers (the interface's own address, which the kernel answers itself; a subnet's network and broadcast
 * addresses).
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
        BROADCAST
    }

    private final IpCidr match;
    private final Role role;

    public HostEntry(IpCidr match, Role role) {
        this.match = match.subnet();
        this.role = role;
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

    @Override
    public String toString() {
        return match + (role == Role.HOST ? "" : " (" + role.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
