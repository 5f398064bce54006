package io.tunecho.transport;

import io.netty.channel.ChannelId;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A TUN channel's id: a number unique within the process ({@code tun-1}, {@code tun-2}, ...). Netty's default id
 * mixes in the host's MAC address and the process id so that ids are unique across machines, for socket channels
 * that talk to them; finding a MAC address enumerates every network interface and costs a cold start tens of
 * milliseconds. A TUN channel never leaves its process.
 */
final class TunChannelId implements ChannelId {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final long id;

    private TunChannelId(long id) {
        this.id = id;
    }

    static TunChannelId next() {
        return new TunChannelId(SEQUENCE.incrementAndGet());
    }

    @Override
    public String asShortText() {
        return "tun-" + id;
    }

    @Override
    public String asLongText() {
        return asShortText();
    }

    @Override
    public int compareTo(ChannelId other) {
        if (other instanceof TunChannelId) {
            return Long.compare(id, ((TunChannelId) other).id);
        }
        return asLongText().compareTo(other.asLongText());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunChannelId && ((TunChannelId) o).id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return asShortText();
    }
}
