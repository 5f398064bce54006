package io.tunecho.app;

import io.tunecho.config.Transport;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The transport the server runs on: the configured one, or for {@link Transport#AUTO} io_uring where the kernel
 * allows it and has multishot reads (a TUN then costs one system call for many packets), epoll otherwise.
 * Explicit io_uring falls back to epoll only where Netty's io_uring cannot run (with a warning), and reads with
 * single reads where multishot reads are missing.
 *
 * @param transport {@link Transport#EPOLL} or {@link Transport#IO_URING}
 * @param auto      whether {@code auto} chose it
 * @param reason    why it is epoll although auto or io_uring was asked for; {@code null} otherwise
 */
record TransportChoice(Transport transport, boolean auto, String reason) {
    static final String DISABLED = "io_uring is disabled by kernel.io_uring_disabled";
    static final String SECCOMP = "io_uring setup refused: EPERM (a seccomp profile?)";
    static final String SECCOMP_ENOSYS = "io_uring setup refused: ENOSYS (a seccomp profile?)";
    static final String NO_IO_URING = "this kernel has no io_uring (ENOSYS)";
    static final String NO_MULTISHOT = "this kernel has no multishot read (Linux 6.7+)";
    /** The same numbers on x86-64, arm64 and every architecture with the generic errno table. */
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    /** The choice for {@code configured} on this kernel; warns when an explicit io_uring falls back to epoll. */
    static TransportChoice of(Transport configured) {
        TransportChoice choice = choose(configured, KernelIoUring::probe);
        if (configured == Transport.IO_URING && !choice.ioUring()) {
            LoggerFactory.getLogger(TransportChoice.class).warn("io_uring is not available here ({}); using epoll",
                    choice.reason());
        }
        return choice;
    }

    /** The choice for {@code configured}; the kernel is asked only when io_uring is a candidate. */
    static TransportChoice choose(Transport configured, Supplier<KernelIoUring> kernel) {
        switch (configured) {
            case EPOLL:
                return new TransportChoice(Transport.EPOLL, false, null);
            case IO_URING: {
                String missing = kernel.get().nettyUnavailable();
                return missing == null ? new TransportChoice(Transport.IO_URING, false, null)
                        : new TransportChoice(Transport.EPOLL, false, missing);
            }
            default: {
                String against = againstIoUring(kernel.get());
                return new TransportChoice(against == null ? Transport.IO_URING : Transport.EPOLL, true, against);
            }
        }
    }

    /** Why auto does not take io_uring on this kernel, or {@code null} when it does. */
    private static String againstIoUring(KernelIoUring kernel) {
        int errno = kernel.setupErrno();
        if (kernel.disabledSysctl() == 2 || errno == EPERM && kernel.disabledSysctl() == 1) {
            return DISABLED;
        }
        if (errno == EPERM) {
            return SECCOMP;
        }
        if (errno == ENOSYS) {
            return kernel.seccompFilter() ? SECCOMP_ENOSYS : NO_IO_URING;
        }
        if (errno != 0) {
            return "io_uring is not available: " + kernel.setupFailure();
        }
        if (kernel.nettyUnavailable() != null) {
            return "Netty's io_uring is not available: " + kernel.nettyUnavailable();
        }
        return kernel.multishotRead() ? null : NO_MULTISHOT;
    }

    boolean ioUring() {
        return transport == Transport.IO_URING;
    }

    /**
     * For the line that says tunecho answers and for {@code --check}: {@code epoll} or {@code io_uring} as
     * configured; {@code io_uring (auto)}, or {@code epoll (auto: why)}.
     */
    @Override
    public String toString() {
        if (!auto) {
            return transport.toString();
        }
        return reason == null ? transport + " (auto)" : transport + " (auto: " + reason + ")";
    }
}
