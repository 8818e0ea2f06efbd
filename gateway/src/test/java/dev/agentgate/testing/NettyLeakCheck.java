package dev.agentgate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a buffer that was never released while (or before) it ran.
 * Registered for every gateway test (JUnit's extension auto-detection, switched on in the surefire configuration), with the
 * detector at level paranoid (surefire configuration): every buffer is tracked. A leak is only seen once the buffer
 * was garbage collected, so after each class the check collects garbage and allocates to make the detector look.
 */
public final class NettyLeakCheck implements AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        // Before any buffer class creates its detector: this class is loaded when JUnit starts, before any test runs.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            // The detector polls its queue of collected buffers when a buffer is tracked.
            ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(8);
            probe.release();
        }
        List<String> leaks;
        synchronized (LEAKS) {
            leaks = List.copyOf(LEAKS);
            LEAKS.clear();
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported while " + context.getDisplayName()
                    + " (or a class before it) ran:\n" + String.join("\n", leaks));
        }
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + ".release() was not called." + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + ".release() was not called (no records).");
            super.reportUntracedLeak(resourceType);
        }
    }
}
