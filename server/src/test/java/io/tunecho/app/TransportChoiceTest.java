package io.tunecho.app;

import io.tunecho.config.Transport;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code transport} becomes epoll or io_uring, with the kernel's answers stated by each test. */
class TransportChoiceTest {
    private static final int EPERM = 1;
    private static final int ENOMEM = 12;
    private static final int ENOSYS = 38;
    private static final String NOT_IMPLEMENTED = "io_uring_setup: Function not implemented (ENOSYS)";

    /** A kernel that offers everything: io_uring allowed, Netty runs on it, multishot reads. */
    private static final KernelIoUring MODERN = new KernelIoUring(0, 0, false, null, null, true);

    private static TransportChoice auto(KernelIoUring kernel) {
        return TransportChoice.choose(Transport.AUTO, () -> kernel);
    }

    @Test
    void autoTakesIoUringWhereTheKernelHasMultishotReads() {
        TransportChoice c = auto(MODERN);
        assertEquals(Transport.IO_URING, c.transport());
        assertTrue(c.ioUring());
        assertNull(c.reason());
        assertEquals("io_uring (auto)", c.toString());
    }

    @Test
    void autoTakesIoUringWhereTheSettingLimitsItToAGroupThatIncludesUs() {
        assertEquals("io_uring (auto)", auto(new KernelIoUring(1, 0, false, null, null, true)).toString());
    }

    @Test
    void autoTakesEpollWithoutMultishotReads() {
        TransportChoice c = auto(new KernelIoUring(0, 0, false, null, null, false));
        assertEquals(Transport.EPOLL, c.transport());
        assertEquals(TransportChoice.NO_MULTISHOT, c.reason());
        assertEquals("epoll (auto: this kernel has no multishot read (Linux 6.7+))", c.toString());
    }

    @Test
    void autoTakesEpollWhereTheSysctlDisablesIoUring() {
        String refused = "io_uring_setup: Operation not permitted (EPERM)";
        for (KernelIoUring kernel : new KernelIoUring[] {
                new KernelIoUring(2, EPERM, false, refused, "io_uring_setup failed", false),
                new KernelIoUring(1, EPERM, false, refused, "io_uring_setup failed", false)}) {
            TransportChoice c = auto(kernel);
            assertEquals(Transport.EPOLL, c.transport());
            assertEquals("epoll (auto: io_uring is disabled by kernel.io_uring_disabled)", c.toString());
        }
    }

    @Test
    void autoTakesEpollWhereASeccompProfileRefusesTheSetup() {
        TransportChoice c = auto(new KernelIoUring(0, EPERM, true, "io_uring_setup: Operation not permitted (EPERM)",
                "io_uring_setup failed", false));
        assertEquals(Transport.EPOLL, c.transport());
        assertEquals("epoll (auto: io_uring setup refused: EPERM (a seccomp profile?))", c.toString());
    }

    /** Podman's default profile refuses the calls it does not list with ENOSYS. */
    @Test
    void autoTakesEpollWhereASeccompProfileSaysThereIsNoSetupCall() {
        TransportChoice c = auto(new KernelIoUring(0, ENOSYS, true, NOT_IMPLEMENTED, "io_uring_setup failed", false));
        assertEquals(Transport.EPOLL, c.transport());
        assertEquals("epoll (auto: io_uring setup refused: ENOSYS (a seccomp profile?))", c.toString());
    }

    @Test
    void autoTakesEpollWhereTheKernelHasNoIoUring() {
        TransportChoice c = auto(new KernelIoUring(0, ENOSYS, false, NOT_IMPLEMENTED, "io_uring_setup failed", false));
        assertEquals(Transport.EPOLL, c.transport());
        assertEquals("epoll (auto: this kernel has no io_uring (ENOSYS))", c.toString());
    }

    @Test
    void autoTakesEpollWhereTheSetupFailsOtherwise() {
        TransportChoice c = auto(new KernelIoUring(0, ENOMEM, false, "io_uring_setup: Cannot allocate memory (ENOMEM)",
                "io_uring_setup failed", false));
        assertEquals(Transport.EPOLL, c.transport());
        assertEquals("io_uring is not available: io_uring_setup: Cannot allocate memory (ENOMEM)", c.reason());
    }

    @Test
    void autoTakesEpollWhereNettysIoUringCannotRun() {
        TransportChoice c = auto(new KernelIoUring(0, 0, false, null, "no native library for this platform", true));
        assertEquals(Transport.EPOLL, c.transport());
        assertEquals("Netty's io_uring is not available: no native library for this platform", c.reason());
    }

    @Test
    void explicitEpollDoesNotAskTheKernel() {
        Supplier<KernelIoUring> never = () -> {
            throw new AssertionError("the kernel was asked");
        };
        TransportChoice c = TransportChoice.choose(Transport.EPOLL, never);
        assertEquals(Transport.EPOLL, c.transport());
        assertFalse(c.auto());
        assertEquals("epoll", c.toString());
    }

    @Test
    void explicitIoUringNeedsOnlyNettysIoUring() {
        TransportChoice single = TransportChoice.choose(Transport.IO_URING,
                () -> new KernelIoUring(0, 0, false, null, null, false));
        assertEquals(Transport.IO_URING, single.transport());
        assertEquals("io_uring", single.toString());

        TransportChoice fallback = TransportChoice.choose(Transport.IO_URING,
                () -> new KernelIoUring(0, EPERM, true, "io_uring_setup: Operation not permitted (EPERM)",
                        "failed to allocate memory for io_uring ring", false));
        assertEquals(Transport.EPOLL, fallback.transport());
        assertEquals("failed to allocate memory for io_uring ring", fallback.reason());
        assertEquals("epoll", fallback.toString());
    }
}
