package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One hop in front of a host (an entry of its {@code hops}): a single router, or a choice among routers that a load
 * balancer makes {@linkplain HopChoice by flow, by packet or by destination}. Written as the config file writes it:
 * {@code 198.18.1.1}, or {@code {any: [198.18.2.1, 198.18.2.2], by: flow}}. Immutable.
 *
 * @param routers the routers, single addresses of one IP version, none twice (at least one)
 * @param by      how a packet picks one of them (irrelevant for a single router)
 */
public record Hop(List<IpCidr> routers, HopChoice by) {
    public Hop {
        routers = List.copyOf(routers);
        if (routers.isEmpty()) {
            throw new IllegalArgumentException("a hop needs at least one router");
        }
        if (by == null || routers.size() == 1) {
            by = HopChoice.FLOW; // a single router leaves nothing to choose: one way to write it
        }
    }

    /** A hop with one router. */
    public static Hop of(IpCidr router) {
        return new Hop(List.of(router), HopChoice.FLOW);
    }

    /** Whether a packet has a choice here (more than one router). */
    public boolean isChoice() {
        return routers.size() > 1;
    }

    @Override
    public String toString() {
        if (!isChoice()) {
            return routers.get(0).addressText();
        }
        return routers.stream().map(IpCidr::addressText).collect(Collectors.joining(", ", "{any: [", "], by: "))
                + by + "}";
    }
}
