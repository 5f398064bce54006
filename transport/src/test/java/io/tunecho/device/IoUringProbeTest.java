package io.tunecho.device;

import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoUringProbeTest {
    private static final int IORING_OP_NOP = 0;
    private static final int IORING_OP_READ_MULTISHOT = 49;

    /** Where Netty sets up its rings, so does the probe; the multishot read comes with Linux 6.7. */
    @Test
    void answersWhatThisKernelHas() throws Exception {
        if (!IoUring.isAvailable()) {
            DeviceException e = assertThrows(DeviceException.class, () -> IoUringProbe.kernelSupports(IORING_OP_NOP));
            assertTrue(e.getMessage().startsWith("io_uring_setup: "), e.getMessage());
            return;
        }
        assertTrue(IoUringProbe.kernelSupports(IORING_OP_NOP));
        assertFalse(IoUringProbe.kernelSupports(255));
        assertEquals(kernelAtLeast(6, 7), IoUringProbe.kernelSupports(IORING_OP_READ_MULTISHOT));
    }

    @Test
    void readsTheProbesLayout() {
        byte[] probe = IoUringProbe.newProbe();
        probe[0] = 50; // last_op
        probe[16 + 49 * 8 + 2] = 1; // ops[49].flags = IO_URING_OP_SUPPORTED (little-endian low byte)
        assertTrue(IoUringProbe.supported(probe, 49));
        assertFalse(IoUringProbe.supported(probe, 48));
        assertFalse(IoUringProbe.supported(probe, 51));
        assertFalse(IoUringProbe.supported(probe, -1));
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] release = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(release[0]);
        int mi = Integer.parseInt(release[1]);
        return ma > major || ma == major && mi >= minor;
    }
}
