package io.ipcarc.launcher;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated by the current thread (HotSpot's per-thread counter), so that the apps can
 * show they allocate nothing per entry, and the benchmarks can measure it in their child JVMs.
 */
public final class Allocation {
    private Allocation() {
    }

    /**
     * Returns bytes allocated by this thread so far, or 0 if the JVM cannot tell.
     *
     * @return bytes allocated by this thread so far, or 0 if the JVM cannot tell
     */
    public static long ofThisThread() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()) {
            return t.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }
}
