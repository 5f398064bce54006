package io.tunecho.transport;

import io.netty.channel.ChannelOption;
import io.tunecho.wire.IpCidr;

import java.util.List;

/**
 * The {@link ChannelOption}s of a {@link TunChannel}. Everything but {@link #MTU} takes effect when the channel
 * binds; {@link #MTU} also applies at once to a bound channel.
 */
public final class TunChannelOption<T> extends ChannelOption<T> {

    /**
     * The interface MTU in bytes (68..65535). Also sizes the receive buffers, so that no packet is truncated.
     * Unset: the interface keeps its MTU and buffers are sized from it.
     */
    public static final ChannelOption<Integer> MTU = valueOf(TunChannelOption.class, "MTU");

    /** The kernel's IPv4 address and prefix on the interface, e.g. {@code 198.18.0.1/24}. Unset: left as it is. */
    public static final ChannelOption<IpCidr> IPV4_ADDRESS = valueOf(TunChannelOption.class, "IPV4_ADDRESS");

    /**
     * The kernel's IPv6 address and prefix on the interface, e.g. {@code fd00:198:18::1/64}, added at bind time.
     * Unset: none is added.
     */
    public static final ChannelOption<IpCidr> IPV6_ADDRESS = valueOf(TunChannelOption.class, "IPV6_ADDRESS");

    /**
     * Extra prefixes routed into the interface (for addresses answered outside the interface's own subnets), IPv4
     * and IPv6. Default: none.
     */
    public static final ChannelOption<List<IpCidr>> ROUTES = valueOf(TunChannelOption.class, "ROUTES");

    /**
     * The interface's transmit queue length ({@code txqueuelen}): how many packets the kernel holds for the channel
     * before it drops (counted as {@code tx_dropped} on the interface). Unset: the interface keeps its own (a TUN's is
     * 500).
     */
    public static final ChannelOption<Integer> TX_QUEUE_LENGTH = valueOf(TunChannelOption.class, "TX_QUEUE_LENGTH");

    /** Bring the link up when binding. Default: {@code true}. */
    public static final ChannelOption<Boolean> LINK_UP = valueOf(TunChannelOption.class, "LINK_UP");

    /**
     * Open the device with {@code IFF_MULTI_QUEUE}: several channels bound to the same name each get one queue.
     * Must match how a pre-created device was made. Default: {@code false}.
     */
    public static final ChannelOption<Boolean> MULTI_QUEUE = valueOf(TunChannelOption.class, "MULTI_QUEUE");

    /**
     * {@link IoUringTunChannel} only: how many reads it keeps submitted at once (1..{@value
     * IoUringTunChannel#MAX_READS_IN_FLIGHT}). Default: 1. More reads in flight let one {@code io_uring_enter}
     * complete a burst of packets, but on a TUN device every waiting read is woken by each packet that arrives
     * (the driver has no non-blocking I/O for io_uring, so the kernel polls on the reads' behalf): measured on
     * Linux 6.18, 16 reads in flight halved the ping-pong rate and gained nothing under load.
     */
    public static final ChannelOption<Integer> READS_IN_FLIGHT = valueOf(TunChannelOption.class, "READS_IN_FLIGHT");

    /**
     * {@link IoUringTunChannel} only: read with one multishot read into a ring of packet buffers where the kernel
     * has it (Linux 6.7+). Default: {@code true}. {@code false}, or a kernel without it: {@link #READS_IN_FLIGHT}
     * plain reads into buffers of the channel's allocator. A multishot read stays armed and reads every packet
     * that waits when the device becomes readable, with no submission per packet; each packet is a
     * {@code ByteBuf} over its ring buffer, and releasing it gives the buffer back to the ring.
     */
    public static final ChannelOption<Boolean> MULTISHOT_READ = valueOf(TunChannelOption.class, "MULTISHOT_READ");

    /**
     * {@link IoUringTunChannel} with {@link #MULTISHOT_READ}: how many packet buffers, each of the interface MTU,
     * its buffer ring holds (a power of two, 1..32768). Default: 256, or fewer where 256 buffers of the MTU would
     * take more than 4 MB (64 at an MTU of 65535). Packets that the pipeline holds keep their buffers; when all are
     * held, reading waits until one is released.
     */
    public static final ChannelOption<Integer> READ_BUFFERS = valueOf(TunChannelOption.class, "READ_BUFFERS");

    @SuppressWarnings("deprecation")
    private TunChannelOption() {
        super(null);
    }
}
