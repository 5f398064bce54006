package io.tunecho.transport;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * The address a {@link TunChannel} binds to: the name of a TUN interface. An empty name lets the kernel choose one
 * ({@code tun0}, {@code tun1}, ...); after the bind, {@link TunChannel#localAddress()} holds the actual name.
 */
public final class TunAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;

    private final String name;

    public TunAddress(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A TUN whose name the kernel chooses. */
    public static TunAddress any() {
        return new TunAddress("");
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunAddress && ((TunAddress) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name.isEmpty() ? "tun:<any>" : "tun:" + name;
    }
}
