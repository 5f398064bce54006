package io.tunecho.policy;

import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.ip.HostsBehind;

import java.util.function.Supplier;

/** The IP layer's question about the hosts behind it, answered from the host table in force. */
public final class UpHosts implements HostsBehind {
    private final Supplier<HostTable> hosts;

    /** @param hosts the host table, read at each question (so that a new one takes effect at once) */
    public UpHosts(Supplier<HostTable> hosts) {
        this.hosts = hosts;
    }

    @Override
    public int ipv4ErrorTtl(int destination, long nanoTime) {
        HostEntry entry = hosts.get().lookupIpv4(destination);
        if (entry == null || !entry.isHost()) {
            return -1;
        }
        return ttlIfUp(entry.isTimed() ? entry.behaviourAt(nanoTime, entry.offsetOfIpv4(destination))
                : entry.baseBehaviour());
    }

    @Override
    public int ipv6ErrorTtl(long high, long low, long nanoTime) {
        HostEntry entry = hosts.get().lookupIpv6(high, low);
        if (entry == null || !entry.isHost()) {
            return -1;
        }
        return ttlIfUp(entry.isTimed() ? entry.behaviourAt(nanoTime, 0) : entry.baseBehaviour());
    }

    private static int ttlIfUp(Behaviour b) {
        return b.state() == HostState.UP ? b.ttl() : -1;
    }
}
