package io.tunecho.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leak check that every test runs under can see a leak. */
class LeakDetectorExtensionTest {

    @Test
    void theBuildRunsTheDetectorAtParanoid() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }

    @Test
    void anUnreleasedBufferIsReported() throws InterruptedException {
        leakOne();
        List<String> leaks = LeakDetectorExtension.collect(); // collecting also clears, so this test passes
        assertFalse(leaks.isEmpty(), "a leaked buffer went unnoticed");
        assertTrue(leaks.get(0).contains("ByteBuf"), leaks.get(0));
    }

    private static void leakOne() {
        ByteBuf leaked = Unpooled.directBuffer(16);
        leaked.writeInt(42);
    }
}
