package io.tunecho.transport;

import io.netty.channel.uring.IoUringIoEvent;

/**
 * How an {@link IoUringTunChannel} reads: {@link MultishotReader} (one multishot read into a buffer ring) or
 * {@link SingleReader} (plain reads, one buffer each). Everything runs on the channel's event loop.
 */
interface UringReader {

    /** Reads on: submits what the channel's reading needs and is not in flight yet. */
    void start();

    /** A completion of one of this reader's reads. */
    void completed(IoUringIoEvent event);

    /** After a burst when the channel does not read automatically and nobody asked for more. */
    void pause();

    /** Whether the kernel may still complete one of this reader's reads (and write into its buffer). */
    boolean inFlight();

    /** Cancels the reads in flight, for closing; each of them still completes. */
    void cancel();

    /** The interface's MTU changed to {@code mtu}. */
    void mtuChanged(int mtu);

    /** The channel closes and no read is in flight: lets go of what the reader holds in the kernel. */
    void close();

    /** {@code multishot} or {@code single}, for logs and tests. */
    String mode();
}
