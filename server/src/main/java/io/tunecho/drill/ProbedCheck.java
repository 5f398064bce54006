package io.tunecho.drill;

import io.tunecho.config.ScenarioSpec.Expectation;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code probed: D}: every answered address of the match is probed at least once per D while the step lasts (a gap
 * open at the step's start counts from there). Reads each address's last probe on the ticks (never on the packet
 * path), so gaps are measured to a tick; fails as soon as one address has gone longer than D without a probe
 * (measured: that gap), passes at the step's end (measured: the longest gap seen, and where).
 */
final class ProbedCheck extends Check {
    private final ToLongFunction<IpCidr> lastProbeMillis;
    private final HostTable hosts;
    private IpCidr[] addresses = new IpCidr[0];
    /** Each address's last probe as last read (-1: never). */
    private long[] last = new long[0];
    private long longestMillis;
    private IpCidr worst;

    ProbedCheck(StepRun step, Expectation spec, HostTable hosts, ToLongFunction<IpCidr> lastProbeMillis) {
        super(step, spec);
        this.hosts = hosts;
        this.lastProbeMillis = lastProbeMillis;
    }

    @Override
    String measure() {
        return "longest_gap_seconds";
    }

    @Override
    void started(long now) {
        List<IpCidr> answered = new ArrayList<>();
        for (IpCidr p : step.prefixes) {
            addAnswered(p, answered);
        }
        addresses = answered.toArray(new IpCidr[0]);
        last = new long[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            last[i] = lastProbeMillis.applyAsLong(addresses[i]);
        }
        if (addresses.length == 0) {
            fail(now, null, "no answered address in " + step.what() + " to watch");
        }
    }

    /** The addresses of {@code p} that a virtual host answers (not the interface's own, a network or broadcast). */
    private void addAnswered(IpCidr p, List<IpCidr> into) {
        int hostBits = p.maxPrefixLength() - p.prefixLength();
        long count = 1L << Math.min(hostBits, 32);
        for (long i = 0; i < count; i++) {
            IpCidr a = p.isIpv4() ? IpCidr.ipv4(p.ipv4Network() + (int) i, 32)
                    : IpCidr.ipv6(p.high(), p.low() + i, 128);
            if (hosts.answers(a)) {
                into.add(a);
            }
        }
    }

    @Override
    void tick(long now) {
        if (pending() && step.state == StepRun.State.ACTIVE) {
            poll(now);
        }
    }

    @Override
    void ended(long now) {
        if (!pending()) {
            return;
        }
        poll(now);
        if (pending()) {
            pass(now, longestMillis, worst == null ? "every address probed" : "the longest gap was "
                    + seconds(longestMillis) + ", at " + worst.addressText() + " (of " + addresses.length
                    + " addresses)");
        }
    }

    /** Reads each address's last probe: a gap that a probe closed, then the gap open now. */
    private void poll(long now) {
        long from = step.startedMillis;
        for (int i = 0; i < addresses.length; i++) {
            long probe = lastProbeMillis.applyAsLong(addresses[i]);
            long since = Math.max(last[i], from);
            if (probe != last[i] && probe > since) {
                record(probe - since, i);
            }
            last[i] = probe;
            long open = now - Math.max(probe, from);
            record(open, i);
            if (open > limitMillis) {
                fail(now, open, addresses[i].addressText() + " went " + seconds(open) + " without a probe (limit "
                        + spec.limitText() + ")");
                return;
            }
        }
    }

    private void record(long gap, int i) {
        if (gap > longestMillis) {
            longestMillis = gap;
            worst = addresses[i];
        }
    }
}
