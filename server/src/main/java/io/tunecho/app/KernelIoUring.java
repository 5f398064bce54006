package io.tunecho.app;

import io.netty.channel.uring.IoUring;
import io.tunecho.device.DeviceException;
import io.tunecho.transport.IoUringTunChannel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this kernel offers io_uring, as {@code transport: auto} reads it at start ({@link #probe()}), or as a test
 * states it.
 *
 * @param disabledSysctl   {@code kernel.io_uring_disabled}: 0 allows io_uring to every process, 1 only to members
 *                         of {@code kernel.io_uring_group} and to CAP_SYS_ADMIN, 2 to none; 0 where the kernel has
 *                         no such setting (before 6.6)
 * @param setupErrno       0 when a ring could be set up; else the errno of {@code io_uring_setup} (EPERM: refused,
 *                         by that setting or by a seccomp profile; ENOSYS: no io_uring), or -1 when it could not be
 *                         called at all
 * @param seccompFilter    whether a seccomp filter confines this process (a container's profile, most often): such
 *                         a profile refuses io_uring with EPERM (Docker's) or ENOSYS (Podman's)
 * @param setupFailure     why no ring could be set up, as a message; {@code null} when one could
 * @param nettyUnavailable why Netty's io_uring transport cannot run here (its native library, the ring features it
 *                         needs); {@code null} when it can
 * @param multishotRead    whether the kernel has the multishot read ({@code IORING_OP_READ_MULTISHOT}, Linux 6.7+)
 */
record KernelIoUring(int disabledSysctl, int setupErrno, boolean seccompFilter, String setupFailure,
        String nettyUnavailable, boolean multishotRead) {
    static final Path DISABLED_SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");
    private static final Path STATUS = Path.of("/proc/self/status");

    /**
     * Asks this kernel: reads the setting and this process's seccomp mode, sets up a short-lived ring, and lets Netty
     * say whether it can run.
     */
    static KernelIoUring probe() {
        int errno = 0;
        String failure = null;
        boolean multishot = false;
        try {
            multishot = IoUringTunChannel.multishotReadSupported();
        } catch (DeviceException e) {
            errno = e.errno();
            failure = e.getMessage();
        } catch (LinkageError | RuntimeException e) { // libc could not be bound: no io_uring for us either
            errno = -1;
            failure = e.toString();
        }
        String netty = null;
        if (!IoUring.isAvailable()) {
            Throwable cause = IoUring.unavailabilityCause();
            netty = cause == null ? "unknown reason" : String.valueOf(cause.getMessage());
        }
        return new KernelIoUring(readDisabledSysctl(), errno, readSeccompFilter(), failure, netty, multishot);
    }

    /** {@code Seccomp: 2} in {@code /proc/self/status}: a filter (0 is none, 1 strict mode). */
    private static boolean readSeccompFilter() {
        try {
            return Files.readAllLines(STATUS).stream().anyMatch(l -> l.startsWith("Seccomp:") && l.endsWith("2"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int readDisabledSysctl() {
        try {
            return Integer.parseInt(Files.readString(DISABLED_SYSCTL).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
