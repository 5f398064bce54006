package io.tunecho.ip;

import java.time.Duration;

/**
 * The bounds of fragment reassembly, per channel ({@link Reassembler}): how many datagrams may be in reassembly at
 * once, how many bytes of buffers their fragments may hold, and how long a datagram may take to complete.
 *
 * <p>Bytes are counted as buffer capacities, as Linux counts {@code truesize}: a fragment read into a buffer of the
 * interface's MTU holds that much whatever its length, so a largest datagram (65,535 bytes) in 1500-byte buffers
 * holds 45 of them, about 68 KB.
 *
 * @param maxDatagrams the most datagrams in reassembly at once (config key {@code reassembly.max-datagrams})
 * @param maxBytes     the most bytes their fragments hold (config key {@code reassembly.max-bytes})
 * @param ipv4Timeout  how long an IPv4 datagram may take to complete from its first fragment's arrival (RFC 791
 *                     suggests at least 15 s; Linux's {@code ipfrag_time} is 30 s)
 * @param ipv6Timeout  the same for IPv6 (RFC 8200 4.5: 60 s, Linux's {@code ip6frag_time})
 */
public record ReassemblyLimits(int maxDatagrams, long maxBytes, Duration ipv4Timeout, Duration ipv6Timeout) {
    /** Default of {@link #maxDatagrams}: 1024. */
    public static final int DEFAULT_MAX_DATAGRAMS = 1024;
    /** Default of {@link #maxBytes}: 4 MiB, Linux's {@code ipfrag_high_thresh}: about 60 largest datagrams. */
    public static final long DEFAULT_MAX_BYTES = 4L << 20;
    /** Default of {@link #ipv4Timeout}: 30 s, as Linux. */
    public static final Duration DEFAULT_IPV4_TIMEOUT = Duration.ofSeconds(30);
    /** Default of {@link #ipv6Timeout}: 60 s, as RFC 8200 and Linux. */
    public static final Duration DEFAULT_IPV6_TIMEOUT = Duration.ofSeconds(60);
    /** The largest {@link #maxDatagrams}: each channel sizes a table for its cap up front. */
    public static final int MAX_MAX_DATAGRAMS = 1 << 16;
    /** The smallest {@link #maxBytes}: less could not hold one datagram of a common size. */
    public static final long MIN_MAX_BYTES = 64 << 10;

    /** Every default. */
    public static final ReassemblyLimits DEFAULTS = new ReassemblyLimits(DEFAULT_MAX_DATAGRAMS, DEFAULT_MAX_BYTES,
            DEFAULT_IPV4_TIMEOUT, DEFAULT_IPV6_TIMEOUT);

    public ReassemblyLimits {
        if (maxDatagrams < 1 || maxDatagrams > MAX_MAX_DATAGRAMS) {
            throw new IllegalArgumentException("reassembly max-datagrams must be 1.." + MAX_MAX_DATAGRAMS + ": "
                    + maxDatagrams);
        }
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException("reassembly max-bytes must be at least " + MIN_MAX_BYTES + ": "
                    + maxBytes);
        }
        requirePositive("IPv4", ipv4Timeout);
        requirePositive("IPv6", ipv6Timeout);
    }

    /** These limits with another time-out for both versions. */
    public ReassemblyLimits withTimeout(Duration timeout) {
        return new ReassemblyLimits(maxDatagrams, maxBytes, timeout, timeout);
    }

    private static void requirePositive(String version, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the " + version + " reassembly time-out must be positive: "
                    + timeout);
        }
    }
}
