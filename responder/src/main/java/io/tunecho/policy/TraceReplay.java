package io.tunecho.policy;

import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.DelayTrace;
import io.tunecho.packet.ReplyKind;

import java.util.random.RandomGenerator;

/**
 * The delay of a host's own reply: drawn from its behaviour, or, for a host with a {@link DelayTrace}, the trace's
 * next value for the address that answers, so that each address replays the trace in order, looping. The positions
 * live in an {@link AddressStates} of this channel's, made when the first trace is replayed. ICMP errors take a
 * value of the trace at random: they answer for other addresses (a router on the way, a gateway), whose order is
 * not the trace's.
 */
final class TraceReplay {
    private final RandomGenerator random;
    private AddressStates positions;

    TraceReplay(RandomGenerator random) {
        this.random = random;
    }

    /** How long the reply of {@code kind} from the address with {@code hostKey} waits, by the host's own delay. */
    long delayNanos(Behaviour b, ReplyKind kind, long hostKey) {
        DelayTrace trace = b.trace();
        if (trace == null || kind == ReplyKind.ICMP_ERROR) {
            return b.sampleDelayNanos(random);
        }
        AddressStates p = positions;
        if (p == null) {
            p = positions = new AddressStates();
        }
        return trace.nanosAt(p.nextPosition(p.slot(hostKey), trace.length()));
    }
}
