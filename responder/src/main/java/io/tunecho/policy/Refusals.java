package io.tunecho.policy;

import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.LossModel;
import io.tunecho.packet.DropReason;

import java.util.random.RandomGenerator;

/**
 * What an address's own behaviour refuses: the host is down, the request is lost (independently, or in bursts that
 * are remembered per address), or it is over the address's rate. Each refusal is counted at the entry that refused.
 * Random decisions come from the channel's generator, so that a seed repeats them.
 */
final class Refusals {
    private final Clock clock;
    private final RandomGenerator random;
    private final AddressStates states;

    Refusals(Clock clock, RandomGenerator random, AddressStates states) {
        this.clock = clock;
        this.random = random;
        this.states = states;
    }

    /**
     * Why the host at {@code key} (an address key) refuses the request now, or {@code null} when it answers. An
     * unreachable host is not decided here: its gateway answers for it.
     */
    DropReason ofHost(HostEntry entry, Behaviour b, long key) {
        if (b.mayRefuse()) {
            if (b.state() == HostState.DOWN) {
                entry.counters().drop(HostCounters.Drop.DOWN);
                return DropReason.HOST_DOWN;
            }
            if (lost(b.loss(), key)) {
                entry.counters().drop(HostCounters.Drop.LOSS);
                return DropReason.LOSS;
            }
        }
        return overRate(entry, b, key) ? DropReason.RATE_LIMITED : null;
    }

    /**
     * Why the router at {@code key} does not send the ICMP error it should, or {@code null} when it sends it: its
     * loss (independent: a router's bursts are not remembered) and its rate (0: a router that forwards but never
     * answers, as routers that drop their own ICMP).
     */
    DropReason ofRouter(HostEntry router, Behaviour rb, long key) {
        if (!rb.loss().isNone() && (rb.loss().decide(false, random) & 1) != 0) {
            router.counters().drop(HostCounters.Drop.LOSS);
            return DropReason.LOSS;
        }
        return overRate(router, rb, key) ? DropReason.RATE_LIMITED : null;
    }

    private boolean lost(LossModel loss, long key) {
        if (!loss.isBursty()) {
            return (loss.decide(false, random) & 1) != 0;
        }
        int slot = states.slot(key);
        int decision = loss.decide(states.inBurst(slot), random);
        states.setInBurst(slot, (decision & 2) != 0);
        return (decision & 1) != 0;
    }

    /** Over the address's rate: a token bucket per address, or every request when the rate is 0 (answers nothing). */
    private boolean overRate(HostEntry entry, Behaviour b, long key) {
        if (!b.limitsRate() || b.rate() > 0 && states.takeToken(states.slot(key), b.rate(), clock.nanoTime())) {
            return false;
        }
        entry.counters().drop(HostCounters.Drop.RATE);
        return true;
    }
}
