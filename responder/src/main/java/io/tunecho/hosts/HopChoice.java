package io.tunecho.hosts;

/**
 * How a hop with several routers picks the one a packet crosses, as a router with equal-cost routes does.
 * {@link #FLOW} is the default: what load balancers do, and what Paris traceroute was written for.
 */
public enum HopChoice {
    /**
     * By a hash of the flow, as Linux's multipath hash with L4 fields: addresses, protocol and ports (an ICMP echo's
     * identifier in place of ports; IPv6 adds the flow label). One flow always takes one router.
     */
    FLOW,
    /** A random router for every packet (per-packet load balancing). */
    PACKET,
    /** By a hash of the destination address alone: every flow to one address takes one router. */
    DESTINATION;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
