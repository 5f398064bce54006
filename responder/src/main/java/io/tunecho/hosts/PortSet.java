package io.tunecho.hosts;

import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable, sorted set of TCP or UDP ports (1..65535), such as a host's open TCP ports. Kept as a sorted
 * {@code int[]}: {@link #contains} is a binary search that boxes nothing, so asking it costs no allocation per
 * packet.
 */
public final class PortSet {
    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65535;
    /** No port. */
    public static final PortSet NONE = new PortSet(new int[0]);

    private final int[] ports;

    private PortSet(int[] sortedDistinct) {
        this.ports = sortedDistinct;
    }

    /** The set of {@code ports} (duplicates are fine). */
    public static PortSet of(int... ports) {
        int[] sorted = ports.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int p : sorted) {
            if (p < MIN_PORT || p > MAX_PORT) {
                throw new IllegalArgumentException("port " + p + " is out of range " + MIN_PORT + ".." + MAX_PORT);
            }
            if (n == 0 || sorted[n - 1] != p) {
                sorted[n++] = p;
            }
        }
        return n == 0 ? NONE : new PortSet(Arrays.copyOf(sorted, n));
    }

    /** The set of {@code ports} (duplicates are fine). */
    public static PortSet of(Collection<Integer> ports) {
        return of(ports.stream().mapToInt(Integer::intValue).toArray());
    }

    public boolean contains(int port) {
        return Arrays.binarySearch(ports, port) >= 0;
    }

    public boolean isEmpty() {
        return ports.length == 0;
    }

    public int size() {
        return ports.length;
    }

    /** The ports in ascending order (a copy). */
    public int[] toArray() {
        return ports.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet && Arrays.equals(ports, ((PortSet) o).ports);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ports);
    }

    /** As the config file writes a list: {@code [22, 80, 443]}. */
    @Override
    public String toString() {
        return Arrays.toString(ports);
    }
}
