package io.ipcarc.posix.segment;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handles this process has not released yet. A shutdown hook releases them when the JVM
 * exits normally or on SIGINT/SIGTERM, so a process that forgets {@code close()} does not keep
 * its references (a SIGKILLed process is reaped by the others instead).
 */
public final class OpenHandles {
    private static final Set<SegmentHandle> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private OpenHandles() {
    }

    static void add(SegmentHandle h) {
        if (!hooked) {
            hook();
        }
        OPEN.add(h);
    }

    static void remove(SegmentHandle h) {
        OPEN.remove(h);
    }

    private static synchronized void hook() {
        if (hooked) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(OpenHandles::releaseAll, "ipcarc-release-at-exit"));
        hooked = true;
    }

    private static void releaseAll() {
        for (SegmentHandle h : OPEN) {
            try {
                h.release();
            } catch (RuntimeException e) {
                System.getLogger("io.ipcarc").log(System.Logger.Level.INFO, "could not release at exit: name=" + h.name(), e);
            }
        }
    }
}
