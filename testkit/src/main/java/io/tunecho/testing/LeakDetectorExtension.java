package io.tunecho.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Makes a buffer leak fail the test that caused it. Registered for every test through JUnit's extension
 * auto-detection ({@code junit-platform.properties} in this module, on every module's test classpath); the build sets Netty's leak detector to
 * {@code paranoid}, so every buffer is tracked. Netty only logs a leak when a later allocation finds the leaked
 * buffer collected; after each test this extension collects garbage, allocates to trigger that report, and fails
 * the test if anything was reported.
 */
public final class LeakDetectorExtension implements AfterEachCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            fail("LEAK: " + leaks.size() + " buffer(s) were not released:\n" + String.join("\n", leaks));
        }
    }

    /** Forces pending leak reports out and returns (and forgets) what was reported since the last call. */
    public static List<String> collect() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            // Allocating makes the detectors poll their reference queues and report what was collected unreleased.
            Unpooled.directBuffer(1).release();
            Unpooled.buffer(1).release();
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(1);
            pooled.release();
        }
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return leaks;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
